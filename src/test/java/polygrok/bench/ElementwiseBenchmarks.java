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
import polygrok.backend.Activation;
import polygrok.backend.cpu.CpuBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The element-wise passes of the Grokfast-like shape (bench/shapes/grokfast_like.json) on one minibatch:
 * GELU forward and backward over the MLP's [512 x 4, 512] pre-activations, LayerNorm forward and
 * backward over [512 x 4, 128] rows. Run as bench/README.md's JMH section says, with 'ElementwiseBenchmarks'.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmarks {
    static final int ROWS = 512 * 4, D = 128, F = 512;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend be;
    private Tensor pre, act, dAct, dPre, x, w, b, mean, rstd, y, dY, dX, dW, dB;

    @Setup
    public void setup() {
        be = new CpuBackend(threads, true);
        Random rnd = new Random(1);
        pre = random(be, rnd, 1, 1, ROWS, F);
        act = be.zeros(Shape.of(1, ROWS, F));
        dAct = random(be, rnd, 1e-3, 1, ROWS, F);
        dPre = be.zeros(Shape.of(1, ROWS, F));
        x = random(be, rnd, 1, 1, ROWS, D);
        w = random(be, rnd, 1, 1, D);
        b = random(be, rnd, 0.1, 1, D);
        mean = be.zeros(Shape.of(1, ROWS));
        rstd = be.zeros(Shape.of(1, ROWS));
        y = be.zeros(Shape.of(1, ROWS, D));
        dY = random(be, rnd, 1e-3, 1, ROWS, D);
        dX = be.zeros(Shape.of(1, ROWS, D));
        dW = be.zeros(Shape.of(1, D));
        dB = be.zeros(Shape.of(1, D));
    }

    @TearDown
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Tensor geluForward() {
        be.activationForward(Activation.GELU, pre, act);
        return act;
    }

    @Benchmark
    public Tensor geluBackward() {
        be.activationBackward(Activation.GELU, pre, dAct, dPre);
        return dPre;
    }

    @Benchmark
    public Tensor layerNormForward() {
        be.layerNormForward(x, w, b, 1e-5, mean, rstd, y);
        return y;
    }

    @Benchmark
    public Tensor layerNormBackward() {
        be.layerNormBackward(x, w, mean, rstd, dY, dX, dW, dB);
        return dX;
    }
}
