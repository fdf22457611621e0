package polygrok.train;

/**
 * What runs must share to train on one model axis: the plan (model shape, n_ctx, schedule,
 * frozen set), the optimizer settings other than lr and weight decay (the gradient filter, the
 * optimizer type, warm-up and ⊥Grad among them), the example counts, the Fourier schedule with its
 * modulus (the measure hook of a launch is made for one p). Two runs with equal keys may share a group.
 */
record GroupKey(Trainer.Plan plan, double beta1, double beta2, double eps, double lpP, double lpAlpha,
                polygrok.config.GradFilterConfig gradFilter, boolean coupledDecay, int warmupSteps, boolean orthogonal,
                int trainCount, int testCount, int fourierEvery, int p) {
}
