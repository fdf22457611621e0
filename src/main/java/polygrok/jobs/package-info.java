/**
 * What a command runs end to end, composed from the floors below: training every seed of a config
 * with the Fourier measures hooked in and a clean stop on a signal, and a run's network rebuilt from
 * its checkpoints for analysis. The commands in {@code cli} only parse, call one of these and print.
 */
package polygrok.jobs;
