package polygrok.backend.cuda;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import polygrok.tensor.Shape;

/**
 * The positional embedding of embedding.cu (positional_forward, positional_backward), launched by EmbeddingKernels as
 * the cuda backend launches them, run from the kernel source on the CPU (EmulatedLauncher) and compared with
 * cpuref. W_pos holds more positions than the context (n_ctx > T), as when a model runs a shorter input.
 * (The token gather and scatter are checked by src/test/cuda/run-host-emulation.sh.)
 */
class EmbeddingKernelsHostTest {
    /** Sums of float32 values against float64: a few roundings of about 6e-8. */
    static final double ATOL = 1e-6, RTOL = 1e-6;
    static final int M = 3, B = 9, T = 4, N_CTX = 6, D = 70;

    private static EmulatedLauncher launcher;
    private static HeapTensors tensors;
    private static EmbeddingKernels kernels;

    @BeforeAll
    static void start() throws IOException {
        String why = EmulatedLauncher.whyUnavailable();
        Assumptions.assumeTrue(why == null, why);
        tensors = new HeapTensors(1 << 16, 37);
        launcher = new EmulatedLauncher(tensors.heap);
        kernels = new EmbeddingKernels(launcher);
    }

    @AfterAll
    static void stop() throws IOException {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void positionalForwardAddsTheFirstTRows() {
        HeapTensors.Twin wPos = tensors.random(Shape.of(M, N_CTX, D), 1, 5), x = tensors.random(Shape.of(M, B, T, D), 1, 3);
        tensors.ref.positionalForward(wPos.ref(), x.ref());
        kernels.positionalForward(wPos.view(), x.view(), M, B, T, D);
        tensors.check("positionalForward", "x", x, ATOL, RTOL);
        tensors.check("positionalForward", "W_pos", wPos, 0, 0);
    }

    @Test
    void positionalBackwardSumsOverExamples() {
        HeapTensors.Twin dX = tensors.random(Shape.of(M, B, T, D), 1, 2), dWPos = tensors.random(Shape.of(M, N_CTX, D), 1, 4);
        tensors.ref.positionalBackward(dX.ref(), dWPos.ref());
        kernels.positionalBackward(dX.view(), dWPos.view(), M, B, T, D);
        tensors.check("positionalBackward", "dW_pos", dWPos, ATOL, RTOL);
    }
}
