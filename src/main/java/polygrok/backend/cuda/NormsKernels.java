package polygrok.backend.cuda;

/** Launcher of norms.cu: the Lp penalty with its gradient and the L1/L2 norms of parameter stretches. */
final class NormsKernels {
    static final String FAMILY = "norms";
    /** Threads of the per-model penalty reduction: REDUCE_THREADS of common.cuh (CudaKernelConstantsTest). */
    static final int PENALTY_BLOCK = 256;
    /** Threads of each norm reduction: REDUCE_THREADS of common.cuh (CudaKernelConstantsTest). */
    static final int NORMS_BLOCK = 256;

    private final Launcher runner;

    NormsKernels(Launcher runner) {
        this.runner = runner;
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
