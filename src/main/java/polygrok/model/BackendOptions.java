package polygrok.model;

import polygrok.backend.Backend;

/**
 * Refuses, before anything trains, optimizer options the backend has no op for (cuda until its
 * kernels have run on a GPU), naming the config field and what to do instead.
 */
final class BackendOptions {
    private BackendOptions() {
    }

    static void check(Backend backend, OptimizerSettings s) {
        String instead = "; train with --backend cpu (or cpuref), or leave it out";
        if (s.coupledDecay() && !backend.hasAdamOptions()) {
            throw new IllegalArgumentException("optimizer.type: the " + backend.name() + " backend has no Adam (coupled weight decay)"
                    + " step yet" + instead);
        }
        if (s.warmupSteps() > 0 && !backend.hasAdamOptions()) {
            throw new IllegalArgumentException("optimizer.warmup_steps: the " + backend.name() + " backend keeps its learning rates"
                    + " on the device inside a captured step and has no warm-up there yet" + instead);
        }
        if (s.orthogonal() && !backend.hasOrthogonalGradient()) {
            throw new IllegalArgumentException("optimizer.orthogonal: the " + backend.name() + " backend has no orthogonal gradient"
                    + " (⊥Grad) yet" + instead);
        }
    }
}
