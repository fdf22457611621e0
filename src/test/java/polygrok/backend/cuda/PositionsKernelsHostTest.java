package polygrok.backend.cuda;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import polygrok.tensor.Shape;

/**
 * The last position and the sum over positions of positions.cu, launched by PositionsKernels as the cuda
 * backend launches them, run from the kernel source on the CPU (EmulatedLauncher) and compared with cpuref.
 * Sizes cross block edges (256 threads) and every tensor has its own model stride.
 */
class PositionsKernelsHostTest {
    /** The last position moves values: exact. */
    static final double EXACT = 0;
    /** Sums of float32 values against float64: a few roundings of about 6e-8. */
    static final double SUM_ATOL = 1e-6, SUM_RTOL = 1e-6;
    static final int M = 3, B = 7, T = 5, D = 41;

    private static EmulatedLauncher launcher;
    private static HeapTensors tensors;
    private static PositionsKernels kernels;

    @BeforeAll
    static void start() throws IOException {
        String why = EmulatedLauncher.whyUnavailable();
        Assumptions.assumeTrue(why == null, why);
        tensors = new HeapTensors(1 << 16, 31);
        launcher = new EmulatedLauncher(tensors.heap);
        kernels = new PositionsKernels(launcher);
    }

    @AfterAll
    static void stop() throws IOException {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void lastPosition() {
        HeapTensors.Twin x = tensors.random(Shape.of(M, B, T, D), 1, 3), out = tensors.random(Shape.of(M, B, 1, D), 1, 2);
        tensors.ref.lastPositionForward(x.ref(), out.ref());
        kernels.lastPositionForward(x.view(), out.view(), M, B, T, D);
        tensors.check("lastPositionForward", "out", out, EXACT, EXACT);
        // the backward adds into the last position only
        HeapTensors.Twin dOut = tensors.random(Shape.of(M, B, 1, D), 1, 4), dX = tensors.random(Shape.of(M, B, T, D), 1, 1);
        tensors.ref.lastPositionBackward(dOut.ref(), dX.ref());
        kernels.lastPositionBackward(dOut.view(), dX.view(), M, B, T, D);
        tensors.check("lastPositionBackward", "dX", dX, SUM_ATOL, SUM_RTOL);
    }

    @Test
    void sumPositions() {
        HeapTensors.Twin x = tensors.random(Shape.of(M, B, T, D), 1, 2), out = tensors.random(Shape.of(M, B, D), 1, 5);
        tensors.ref.sumPositionsForward(x.ref(), out.ref());
        kernels.sumPositionsForward(x.view(), out.view(), M, B, T, D);
        tensors.check("sumPositionsForward", "out", out, SUM_ATOL, SUM_RTOL);
        HeapTensors.Twin dOut = tensors.random(Shape.of(M, B, D), 1, 3), dX = tensors.random(Shape.of(M, B, T, D), 1, 7);
        tensors.ref.sumPositionsBackward(dOut.ref(), dX.ref());
        kernels.sumPositionsBackward(dOut.view(), dX.view(), M, B, T, D);
        tensors.check("sumPositionsBackward", "dX", dX, SUM_ATOL, SUM_RTOL);
    }
}
