package polygrok.bench;

import static polygrok.bench.PaperSizes.random;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpu.CpuBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The products of the MLP shape (bench/shapes/mlp_add113.json: add mod 113, 40% train, d_model 200,
 * a vocabulary of 118): the hidden layer's forward [5107 x 200] x [200 x 200]^T and its backward
 * (dX and dW), and the folded output map's forward [5107 x 200] x [200 x 118]^T, each on 1 or 2
 * threads. Run as bench/README.md's JMH section says, with 'MlpShapeBenchmarks'.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpShapeBenchmarks {
    static final int N = 5107, D = 200, V = 118;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend be;
    private Tensor x, w, y, dY, dX, dW, wOut, logits;

    @Setup
    public void setup() {
        be = new CpuBackend(threads, true);
        Random rnd = new Random(1);
        double ws = 1 / Math.sqrt(D);
        x = random(be, rnd, 1, 1, N, D);
        w = random(be, rnd, ws, 1, D, D);
        y = be.zeros(Shape.of(1, N, D));
        dY = random(be, rnd, 1e-3, 1, N, D);
        dX = be.zeros(Shape.of(1, N, D));
        dW = be.zeros(Shape.of(1, D, D));
        wOut = random(be, rnd, ws, 1, V, D);
        logits = be.zeros(Shape.of(1, N, V));
    }

    @TearDown
    public void tearDown() {
        be.close();
    }

    /** 2 * 5107 * 200 * 200 = 0.409 GFLOP. */
    @Benchmark
    public Tensor hiddenForward() {
        be.linearForward(x, w, WeightLayout.OUT_IN, y);
        return y;
    }

    /** dX and dW: 2 * 0.409 = 0.817 GFLOP. */
    @Benchmark
    public Tensor hiddenBackward() {
        be.linearBackward(x, w, WeightLayout.OUT_IN, dY, dX, dW);
        return dW;
    }

    /** 2 * 5107 * 200 * 118 = 0.241 GFLOP. */
    @Benchmark
    public Tensor outputForward() {
        be.linearForward(x, wOut, WeightLayout.OUT_IN, logits);
        return logits;
    }
}
