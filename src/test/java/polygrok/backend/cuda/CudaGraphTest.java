package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * runRepeatable: a training step run directly and the same step run through runRepeatable (direct,
 * then captured as a CUDA graph, then replayed) give the same bits; a step that reads back inside the
 * captured work fails with a clear message and leaves the backend usable. Skipped without a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaGraphTest {
    static final int M = 2, N = 40, D = 24, F = 50, V = 17, P = 2 * F * D + D * V;

    private CudaBackend cuda;

    @BeforeAll
    void open() {
        if (CudaProbe.whyUnavailable().isEmpty()) {
            cuda = new CudaBackend();
        }
    }

    @BeforeEach
    void needGpu() {
        Assumptions.assumeTrue(cuda != null, () -> "no usable GPU: " + CudaProbe.whyUnavailable().orElse(""));
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
        }
    }

    /** A tiny model (MLP then unembedding) with its optimiser state; step() is one full training step. */
    private final class Model {
        final Tensor params = cuda.zeros(Shape.of(M, P)), grads = cuda.zeros(Shape.of(M, P));
        final Tensor m1 = cuda.zeros(Shape.of(M, P)), m2 = cuda.zeros(Shape.of(M, P));
        final Tensor wIn = view(params, 0, F, D), wOut = view(params, F * D, D, F), wU = view(params, 2 * F * D, D, V);
        final Tensor dWIn = view(grads, 0, F, D), dWOut = view(grads, F * D, D, F), dWU = view(grads, 2 * F * D, D, V);
        final Tensor x = cuda.zeros(Shape.of(M, N, D)), pre = cuda.zeros(Shape.of(M, N, F)), h = cuda.zeros(Shape.of(M, N, D));
        final Tensor logits = cuda.zeros(Shape.of(M, N, V)), dLogits = cuda.zeros(Shape.of(M, N, V));
        final Tensor dH = cuda.zeros(Shape.of(M, N, D)), dX = cuda.zeros(Shape.of(M, N, D));
        final Tensor perExample = cuda.zeros(Shape.of(M, N, 3)), loss = cuda.zeros(Shape.of(M, 1));
        final Tensor labels, weights;
        final AdamWSettings settings;

        Model(long seed) {
            java.util.Random r = new java.util.Random(seed);
            double[] p = new double[M * P];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextGaussian() * 0.2;
            }
            cuda.upload(params, p);
            double[] xs = new double[M * N * D];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = r.nextGaussian();
            }
            cuda.upload(x, xs);
            int[] ys = new int[M * N];
            for (int i = 0; i < ys.length; i++) {
                ys[i] = r.nextInt(V);
            }
            labels = cuda.ints(Shape.of(M, N), ys);
            weights = cuda.zeros(Shape.of(M, N));
            cuda.fill(weights, 1.0 / N);
            Tensor lr = cuda.zeros(Shape.of(M, 1)), wd = cuda.zeros(Shape.of(M, 1)), step = cuda.zeros(Shape.of(M, 1));
            cuda.upload(lr, new double[]{1e-3, 3e-3});
            cuda.fill(wd, 1.0);
            Tensor trainable = cuda.zeros(Shape.of(1, P));
            cuda.fill(trainable, 1.0);
            settings = new AdamWSettings(lr, wd, step, trainable, 0.9, 0.98, 1e-8);
        }

        private static Tensor view(Tensor block, int offset, int rows, int cols) {
            return new Tensor(block.storage(), offset, Shape.of(M, rows, cols), P);
        }

        void step() {
            cuda.fill(grads, 0);
            cuda.mlpForward(x, wIn, wOut, Activation.GELU, pre, h);
            cuda.linearForward(h, wU, WeightLayout.IN_OUT, logits);
            cuda.crossEntropyForward(logits, labels, weights, perExample, loss);
            cuda.fill(dLogits, 0);
            cuda.crossEntropyBackward(logits, labels, weights, dLogits);
            cuda.fill(dH, 0);
            cuda.fill(dX, 0);
            cuda.linearBackward(h, wU, WeightLayout.IN_OUT, dLogits, dH, dWU);
            cuda.mlpBackward(x, wIn, wOut, Activation.GELU, pre, dH, dX, dWIn, dWOut);
            cuda.adamwStep(params, grads, m1, m2, settings);
        }
    }

    @Test
    void replayGivesTheSameBitsAsDirectCalls() {
        Model direct = new Model(11), repeated = new Model(11);
        for (int i = 0; i < 5; i++) {
            direct.step();
            cuda.runRepeatable("graph-test-step", repeated::step);
        }
        assertArrayEquals(cuda.toDoubles(direct.params), cuda.toDoubles(repeated.params),
                "params after 5 steps: direct vs runRepeatable (run, capture, 3 replays)");
        assertArrayEquals(cuda.toDoubles(direct.loss), cuda.toDoubles(repeated.loss), "loss of the 5th step");
        assertArrayEquals(cuda.toDoubles(direct.settings.step()), cuda.toDoubles(repeated.settings.step()), "step counters");
        assertArrayEquals(new double[]{5, 5}, cuda.toDoubles(repeated.settings.step()), "the graph advanced the device step counter");

        cuda.forgetRepeatable();
        direct.step();
        cuda.runRepeatable("graph-test-step", repeated::step);
        assertArrayEquals(cuda.toDoubles(direct.params), cuda.toDoubles(repeated.params), "params after forgetRepeatable and a 6th step");
    }

    @Test
    void directStepsLowerTheLoss() {
        // the captured step equals the direct one (test above); the direct one must also learn
        Model model = new Model(5);
        model.step();
        double first = cuda.toDoubles(model.loss)[0];
        for (int i = 0; i < 30; i++) {
            model.step();
        }
        double later = cuda.toDoubles(model.loss)[0];
        assertTrue(later < first, "loss of model 0 after 31 AdamW steps: " + later + ", first: " + first);
    }

    @Test
    void readingBackInsideCapturedWorkFailsLoudly() {
        Model model = new Model(3);
        Runnable bad = () -> {
            model.step();
            cuda.toDoubles(model.loss);
        };
        cuda.runRepeatable("graph-test-bad", bad); // first call runs directly: reading back is fine
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cuda.runRepeatable("graph-test-bad", bad),
                "toDoubles inside a capture");
        assertTrue(e.getMessage().contains("graph-test-bad"), "message names the key: " + e.getMessage());
        model.step(); // the backend is still usable
        assertTrue(Double.isFinite(cuda.toDoubles(model.loss)[0]), "loss after a failed capture");
        cuda.forgetRepeatable();
    }
}
