package polygrok.backend.cuda;

import polygrok.backend.Activation;

/** Launcher of activation.cu: the activation between the MLP's two GEMMs, forward and backward. */
final class ActivationKernels {
    static final String FAMILY = "activation";
    static final int BLOCK = 256;

    private final Launcher runner;

    ActivationKernels(Launcher runner) {
        this.runner = runner;
    }

    /** The kernels' activation code: 0 ReLU, 1 GELU (exact erf). */
    static int code(Activation act) {
        return switch (act) {
            case RELU -> 0;
            case GELU -> 1;
        };
    }

    void forward(Activation act, DeviceView x, DeviceView out, int models, int n) {
        runner.launch(FAMILY, "activation_forward", Grid.perModel(n, models, BLOCK),
                new KernelArgs().i32(code(act)).view(x).view(out).i32(n));
    }

    /** dX += act'(x) dOut when accumulate, else dX = act'(x) dOut. */
    void backward(Activation act, DeviceView x, DeviceView dOut, DeviceView dX, int models, int n, boolean accumulate) {
        runner.launch(FAMILY, "activation_backward", Grid.perModel(n, models, BLOCK),
                new KernelArgs().i32(code(act)).view(x).view(dOut).view(dX).i32(n).i32(accumulate ? 1 : 0));
    }
}
