package polygrok.backend.cuda;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import polygrok.tensor.Shape;

/**
 * fill, copy and add of memory.cu, launched by MemoryKernels as the cuda backend launches them, run from the
 * kernel source on the CPU (EmulatedLauncher) and compared with cpuref. Sizes cross block edges (256 threads)
 * and every tensor has its own model stride.
 */
class MemoryKernelsHostTest {
    /** Copies and gathers move values: exact. */
    static final double EXACT = 0;
    /** Sums of float32 values against float64: a few roundings of about 6e-8. */
    static final double SUM_ATOL = 1e-6, SUM_RTOL = 1e-6;
    static final int M = 3;

    private static EmulatedLauncher launcher;
    private static HeapTensors tensors;
    private static MemoryKernels kernels;

    @BeforeAll
    static void start() throws IOException {
        String why = EmulatedLauncher.whyUnavailable();
        Assumptions.assumeTrue(why == null, why);
        tensors = new HeapTensors(1 << 16, 31);
        launcher = new EmulatedLauncher(tensors.heap);
        kernels = new MemoryKernels(launcher);
    }

    @AfterAll
    static void stop() throws IOException {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void fill() {
        HeapTensors.Twin x = tensors.random(Shape.of(M, 300), 1, 3);
        tensors.ref.fill(x.ref(), 0.625);
        kernels.fill(x.view(), M, 300, 0.625f);
        tensors.check("fill", "x", x, EXACT, EXACT);
    }

    @Test
    void copy() {
        HeapTensors.Twin src = tensors.random(Shape.of(M, 300), 1, 5), dst = tensors.random(Shape.of(M, 300), 1, 2);
        tensors.ref.copy(src.ref(), dst.ref());
        kernels.copy(src.view(), dst.view(), M, 300);
        tensors.check("copy", "dst", dst, EXACT, EXACT);
        tensors.check("copy", "src", src, EXACT, EXACT);
    }

    @Test
    void add() {
        HeapTensors.Twin a = tensors.random(Shape.of(M, 300), 1, 1), b = tensors.random(Shape.of(M, 300), 1, 4);
        HeapTensors.Twin out = tensors.random(Shape.of(M, 300), 1, 6);
        tensors.ref.add(a.ref(), b.ref(), out.ref());
        kernels.add(a.view(), b.view(), out.view(), M, 300);
        tensors.check("add", "out", out, SUM_ATOL, SUM_RTOL);
        // out aliasing a: the backend's addInto
        tensors.ref.add(a.ref(), b.ref(), a.ref());
        kernels.add(a.view(), b.view(), a.view(), M, 300);
        tensors.check("add into a", "a", a, SUM_ATOL, SUM_RTOL);
    }
}
