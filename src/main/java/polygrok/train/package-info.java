/**
 * Training: the epoch loop over a group of M runs on one model axis, and around it run directories,
 * checkpoints, resume, initial weights for fine-tuning, sweeps (groups, shards, the runner), metrics and FLOP counts.
 */
package polygrok.train;
