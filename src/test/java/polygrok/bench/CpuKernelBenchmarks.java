package polygrok.bench;

import static polygrok.bench.PaperSizes.B;
import static polygrok.bench.PaperSizes.D;
import static polygrok.bench.PaperSizes.DH;
import static polygrok.bench.PaperSizes.F;
import static polygrok.bench.PaperSizes.H;
import static polygrok.bench.PaperSizes.T;
import static polygrok.bench.PaperSizes.V;
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
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpu.CpuBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The cpu backend's hot kernels at the paper configuration, one model, on 1 or 2 threads:
 * the GEMM [2822 x 128] x [128 x 512], the MLP forward + backward, attention forward + backward
 * with the last position as the only query, cross-entropy forward + backward, and one AdamW step
 * over the whole transformer's parameters. Run instructions: bench/README.md, section JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CpuKernelBenchmarks {
    @Param({"1", "2"})
    public int threads;

    private CpuBackend be;
    private Tensor x, xSeq, wIn, wOut, pre, mlpOut, dOut, dX, dWIn, dWOut, gemmW, gemmY;
    private Tensor wQ, wK, wV, wO, attnOut, dAttnOut, dXSeq, dWQ, dWK, dWV, dWO;
    private AttentionSaved saved;
    private Tensor logits, labels, weights, perExample, loss, dLogits;
    private Tensor params, grads, m1, m2;
    private AdamWSettings adamw;

    @Setup
    public void setup() {
        be = new CpuBackend(threads, true);
        Random rnd = new Random(1);
        double ws = 1 / Math.sqrt(D);
        x = random(be, rnd, 1, 1, B, D);
        gemmW = random(be, rnd, ws, 1, F, D);
        gemmY = be.zeros(Shape.of(1, B, F));
        wIn = random(be, rnd, ws, 1, F, D);
        wOut = random(be, rnd, ws, 1, D, F);
        pre = be.zeros(Shape.of(1, B, F));
        mlpOut = be.zeros(Shape.of(1, B, D));
        dOut = random(be, rnd, 1e-3, 1, B, D);
        dX = be.zeros(Shape.of(1, B, D));
        dWIn = be.zeros(Shape.of(1, F, D));
        dWOut = be.zeros(Shape.of(1, D, F));

        xSeq = random(be, rnd, 1, 1, B, T, D);
        wQ = random(be, rnd, ws, 1, H, DH, D);
        wK = random(be, rnd, ws, 1, H, DH, D);
        wV = random(be, rnd, ws, 1, H, DH, D);
        wO = random(be, rnd, ws, 1, D, H * DH);
        saved = new AttentionSaved(be.zeros(Shape.of(1, B, 1, H, DH)), be.zeros(Shape.of(1, B, T, H, DH)),
                be.zeros(Shape.of(1, B, T, H, DH)), be.zeros(Shape.of(1, B, H, 1, T)), be.zeros(Shape.of(1, B, 1, H * DH)));
        attnOut = be.zeros(Shape.of(1, B, 1, D));
        dAttnOut = random(be, rnd, 1e-3, 1, B, 1, D);
        dXSeq = be.zeros(Shape.of(1, B, T, D));
        dWQ = be.zeros(wQ.shape());
        dWK = be.zeros(wK.shape());
        dWV = be.zeros(wV.shape());
        dWO = be.zeros(wO.shape());

        logits = random(be, rnd, 3, 1, B, V);
        int[] lab = new int[B];
        for (int i = 0; i < B; i++) {
            lab[i] = rnd.nextInt(V);
        }
        labels = be.ints(Shape.of(1, B), lab);
        weights = be.zeros(Shape.of(1, B));
        be.fill(weights, 1.0 / B);
        perExample = be.zeros(Shape.of(1, B, 3));
        loss = be.zeros(Shape.of(1, 1));
        dLogits = be.zeros(Shape.of(1, B, V));

        int p = 2 * D * V + 4 * H * DH * D + 2 * F * D;
        params = random(be, rnd, 0.1, 1, p);
        grads = random(be, rnd, 1e-3, 1, p);
        m1 = be.zeros(Shape.of(1, p));
        m2 = be.zeros(Shape.of(1, p));
        Tensor trainable = be.zeros(Shape.of(1, p));
        be.fill(trainable, 1);
        Tensor lr = be.zeros(Shape.of(1, 1)), wd = be.zeros(Shape.of(1, 1));
        be.fill(lr, 1e-3);
        be.fill(wd, 1);
        adamw = new AdamWSettings(lr, wd, be.zeros(Shape.of(1, 1)), trainable, 0.9, 0.98, 1e-8);
    }

    @TearDown
    public void tearDown() {
        be.close();
    }

    /** 2 * 2822 * 128 * 512 = 0.370 GFLOP. */
    @Benchmark
    public Tensor gemm2822x128x512() {
        be.linearForward(x, gemmW, WeightLayout.OUT_IN, gemmY);
        return gemmY;
    }

    /** Forward 2 GEMMs + backward 4 GEMMs of 2 * N * D * F each: 6 * 0.370 = 2.22 GFLOP. */
    @Benchmark
    public Tensor mlpForwardBackward() {
        be.mlpForward(x, wIn, wOut, Activation.RELU, pre, mlpOut);
        be.mlpBackward(x, wIn, wOut, Activation.RELU, pre, dOut, dX, dWIn, dWOut);
        return dX;
    }

    @Benchmark
    public Tensor attentionLastOnlyForwardBackward() {
        be.attentionForward(xSeq, wQ, wK, wV, wO, true, saved, attnOut);
        be.attentionBackward(xSeq, wQ, wK, wV, wO, true, saved, dAttnOut, dXSeq, dWQ, dWK, dWV, dWO);
        return dXSeq;
    }

    @Benchmark
    public Tensor crossEntropyForwardBackward() {
        be.crossEntropyForward(logits, labels, weights, perExample, loss);
        be.crossEntropyBackward(logits, labels, weights, dLogits);
        return dLogits;
    }

    @Benchmark
    public Tensor adamwStep() {
        be.adamwStep(params, grads, m1, m2, adamw);
        return params;
    }
}
