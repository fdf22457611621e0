package polygrok.backend.cuda;

/** Launcher of adamw.cu: the AdamW update and the step advance that follows it. */
final class AdamWKernels {
    /** adamw.cu knows only AdamW: Adam's coupled decay and the lr warm-up wait for a kernel that has run on a GPU (hasAdamOptions). */
    static void refuseOptions(polygrok.backend.AdamWSettings s) {
        if (s.hasOptions()) {
            throw new UnsupportedOperationException("the cuda backend has no Adam (coupled decay) or lr warm-up kernel yet");
        }
    }

    static final String FAMILY = "adamw";
    static final int BLOCK = 256;

    private final Launcher runner;

    AdamWKernels(Launcher runner) {
        this.runner = runner;
    }

    /** The update reads step[m] in every thread, then a second launch stores step + 1 (see adamw.cu). */
    void step(DeviceView w, DeviceView g, DeviceView m1, DeviceView m2, DeviceView lr, DeviceView wd, DeviceView step,
              DeviceView trainable, int models, int p, float beta1, float beta2, float eps) {
        runner.launch(FAMILY, "adamw_update", Grid.perModel(p, models, BLOCK),
                new KernelArgs().view(w).view(g).view(m1).view(m2).view(lr).view(wd).view(step)
                        .ptr(trainable.ptr()).i32(p).f32(beta1).f32(beta2).f32(eps));
        runner.launch(FAMILY, "adamw_advance_step", advanceGrid(models),
                new KernelArgs().view(step).i32(models));
    }

    /** Models on x (one thread each), so any M fits. */
    static Grid advanceGrid(int models) {
        return new Grid(Grid.blocksFor(models, BLOCK), 1, 1, BLOCK, 0);
    }
}
