package polygrok.model;

import polygrok.backend.Backend;

/**
 * Refuses, before anything trains, optimizer and model options the backend has no op for, or has not
 * run (cuda until its kernels have run on a GPU), naming the config field and what to do instead.
 */
final class BackendOptions {
    private BackendOptions() {
    }

    /** Refuses the model options on a backend that has not run their compositions yet, naming each field set. */
    static void check(Backend backend, ModelSpec spec) {
        if (!spec.hasVariantOptions() || backend.hasModelOptions()) {
            return;
        }
        java.util.List<String> set = new java.util.ArrayList<>();
        if (spec.bias()) {
            set.add("model.bias");
        }
        if (spec.finalLayerNorm()) {
            set.add("model.final_layer_norm");
        }
        if (spec.normalisedResidual()) {
            set.add("model.residual \"normalised\"");
        }
        if (spec.oneHotInput()) {
            set.add("model.input \"one_hot\"");
        }
        throw new IllegalArgumentException(String.join(", ", set) + ": the " + backend.name() + " backend has not run "
                + (set.size() == 1 ? "this model option" : "these model options") + " yet (not yet run on a GPU);"
                + " train with --backend cpu (or cpuref), or leave " + (set.size() == 1 ? "it" : "them") + " out");
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
