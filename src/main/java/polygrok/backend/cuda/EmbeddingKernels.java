package polygrok.backend.cuda;

/** Launcher of embedding.cu: token gather / scatter-add and positional embedding. */
final class EmbeddingKernels {
    static final String FAMILY = "embedding";
    static final int BLOCK = 256;

    private final Launcher runner;

    EmbeddingKernels(Launcher runner) {
        this.runner = runner;
    }

    /** n = tokens per model (B*T); W_E [D, V]. */
    void forward(DeviceView wE, DeviceView tokens, DeviceView out, int models, int n, int d, int vocab) {
        runner.launch(FAMILY, "embed_forward", Grid.perModel((long) n * d, models, BLOCK),
                new KernelArgs().view(wE).view(tokens).view(out).i32(n).i32(d).i32(vocab));
    }

    void backward(DeviceView dOut, DeviceView tokens, DeviceView dWE, int models, int n, int d, int vocab) {
        runner.launch(FAMILY, "embed_backward", Grid.perModel((long) n * d, models, BLOCK),
                new KernelArgs().view(dOut).view(tokens).view(dWE).i32(n).i32(d).i32(vocab));
    }

    void positionalForward(DeviceView wPos, DeviceView x, int models, int batch, int t, int d) {
        runner.launch(FAMILY, "positional_forward", Grid.perModel((long) batch * t * d, models, BLOCK),
                new KernelArgs().view(wPos).view(x).i32(batch).i32(t).i32(d));
    }

    void positionalBackward(DeviceView dX, DeviceView dWPos, int models, int batch, int t, int d) {
        runner.launch(FAMILY, "positional_backward", Grid.perModel((long) t * d, models, BLOCK),
                new KernelArgs().view(dX).view(dWPos).i32(batch).i32(t).i32(d));
    }
}
