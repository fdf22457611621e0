package polygrok.backend.cuda;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import polygrok.backend.Activation;
import polygrok.tensor.Shape;

/**
 * The activations of activation.cu, launched by ActivationKernels (with its activation codes) as the cuda backend launches
 * them, run from the kernel source on the CPU (EmulatedLauncher) and compared with cpuref's float64 ReLU and
 * exact GELU. Inputs span [-4, 4] so that both sides of the kink and GELU's curved part are covered.
 */
class ActivationKernelsHostTest {
    /** float erff / expf against float64 erf / exp: a few ulp of the largest value. */
    static final double ATOL = 1e-6, RTOL = 1e-5;
    static final int M = 3, N = 600;

    private static EmulatedLauncher launcher;
    private static HeapTensors tensors;
    private static ActivationKernels kernels;

    @BeforeAll
    static void start() throws IOException {
        String why = EmulatedLauncher.whyUnavailable();
        Assumptions.assumeTrue(why == null, why);
        tensors = new HeapTensors(1 << 16, 41);
        launcher = new EmulatedLauncher(tensors.heap);
        kernels = new ActivationKernels(launcher);
    }

    @AfterAll
    static void stop() throws IOException {
        if (launcher != null) {
            launcher.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forward(Activation act) {
        HeapTensors.Twin x = tensors.random(Shape.of(M, N), 4, 3), out = tensors.random(Shape.of(M, N), 1, 2);
        tensors.ref.activationForward(act, x.ref(), out.ref());
        kernels.forward(act, x.view(), out.view(), M, N);
        tensors.check("activationForward " + act, "out", out, ATOL, RTOL);
    }

    /** accumulate 1 is the Backend contract (dX +=); accumulate 0 overwrites (the MLP's scratch). */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void backward(Activation act) {
        HeapTensors.Twin x = tensors.random(Shape.of(M, N), 4, 1), dOut = tensors.random(Shape.of(M, N), 1, 4);
        HeapTensors.Twin dX = tensors.random(Shape.of(M, N), 1, 5);
        tensors.ref.activationBackward(act, x.ref(), dOut.ref(), dX.ref());
        kernels.backward(act, x.view(), dOut.view(), dX.view(), M, N, true);
        tensors.check("activationBackward " + act + " accumulate", "dX", dX, ATOL, RTOL);

        double[] garbage = tensors.values((long) M * N, 1e3);
        tensors.set(dX, garbage);
        tensors.ref.fill(dX.ref(), 0);
        tensors.ref.activationBackward(act, x.ref(), dOut.ref(), dX.ref());
        kernels.backward(act, x.view(), dOut.view(), dX.view(), M, N, false);
        tensors.check("activationBackward " + act + " overwrite", "dX", dX, ATOL, RTOL);
    }
}
