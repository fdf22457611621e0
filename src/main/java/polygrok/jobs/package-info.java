/**
 * What a command runs end to end, composed from the floors below: training every seed of a config
 * ({@code TrainingJob}) or a whole sweep ({@code SweepJob}) with the Fourier measures hooked in and a
 * clean stop on a signal, timing epochs ({@code BenchJob}), and analysing runs ({@code AnalyzeJob},
 * with a run's network rebuilt from its checkpoints). The commands in {@code cli} only parse, call one
 * of these and print; what needs {@code report} (tables, plots) comes in from the command.
 */
package polygrok.jobs;
