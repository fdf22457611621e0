package polygrok.backend.cuda;

/** Launcher of adamw.cu: the AdamW update, the step advance that follows it, the Lp penalty and the weight norms. */
final class AdamwKernels {
    static final String FAMILY = "adamw";
    static final int BLOCK = 256;
    /** Threads of the per-model penalty reduction: REDUCE_THREADS of common.cuh (CudaKernelConstantsTest). */
    static final int PENALTY_BLOCK = 256;
    /** Threads of each norm reduction: REDUCE_THREADS of common.cuh (CudaKernelConstantsTest). */
    static final int NORMS_BLOCK = 256;

    private final Launcher runner;

    AdamwKernels(Launcher runner) {
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

    /** One block per model. */
    static Grid penaltyGrid(int models) {
        return new Grid(models, 1, 1, PENALTY_BLOCK, 0);
    }

    void lpPenalty(DeviceView w, DeviceView trainable, DeviceView g, DeviceView penalty, int models, int p,
                   double power, double alpha) {
        runner.launch(FAMILY, "lp_penalty", penaltyGrid(models),
                new KernelArgs().view(w).ptr(trainable.ptr()).view(g).view(penalty).i32(p).f64(power).f64(alpha));
    }

    /** One block per (stretch, model): stretches on x, models on y. */
    static Grid normsGrid(int stretches, int models) {
        return new Grid(stretches, models, 1, NORMS_BLOCK, 0);
    }

    /** out [M, S, 2] = L1 and L2 of the stretches offsets[s] .. offsets[s + 1] of each model's block w. */
    void parameterNorms(DeviceView w, DeviceView offsets, DeviceView out, int models, int stretches) {
        runner.launch(FAMILY, "param_norms", normsGrid(stretches, models),
                new KernelArgs().view(w).ptr(offsets.ptr()).view(out));
    }
}
