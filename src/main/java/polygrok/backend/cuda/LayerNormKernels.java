package polygrok.backend.cuda;

/** Launcher of layer_norm.cu: LayerNorm forward, and its input and parameter gradients. */
final class LayerNormKernels {
    static final String FAMILY = "layer_norm";
    static final int BLOCK = 256;

    private final Launcher runner;

    LayerNormKernels(Launcher runner) {
        this.runner = runner;
    }

    void forward(DeviceView x, DeviceView w, DeviceView b, float eps, DeviceView mean, DeviceView rstd,
                          DeviceView out, int models, int rows, int d) {
        runner.launch(FAMILY, "layer_norm_forward", Grid.warpPerRow(rows, models, BLOCK),
                new KernelArgs().view(x).view(w).view(b).f32(eps).view(mean).view(rstd).view(out).i32(rows).i32(d));
    }

    void backward(DeviceView x, DeviceView w, DeviceView mean, DeviceView rstd, DeviceView dOut,
                           DeviceView dX, DeviceView dW, DeviceView dB, int models, int rows, int d) {
        runner.launch(FAMILY, "layer_norm_backward_input", Grid.warpPerRow(rows, models, BLOCK),
                new KernelArgs().view(x).view(w).view(mean).view(rstd).view(dOut).view(dX).i32(rows).i32(d));
        runner.launch(FAMILY, "layer_norm_backward_params", Grid.perModel(d, models, BLOCK),
                new KernelArgs().view(x).view(mean).view(rstd).view(dOut).view(dW).view(dB).i32(rows).i32(d));
    }
}
