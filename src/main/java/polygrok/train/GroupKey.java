package polygrok.train;

/**
 * What runs must share to train on one model axis: the plan (model shape, n_ctx, schedule,
 * frozen set), the optimiser settings other than lr and weight decay, the example counts and the
 * Fourier schedule. Two runs with equal keys may share a group.
 */
record GroupKey(Trainer.Plan plan, double beta1, double beta2, double eps, double lpP, double lpAlpha,
                int trainCount, int testCount, int fourierEvery) {
}
