package polygrok.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;
import polygrok.analysis.CheckpointMeasures;
import polygrok.analysis.GridLogitsSource;
import polygrok.analysis.RunAnalysis;
import polygrok.analysis.RunAnalyzer;
import polygrok.train.PthRunImport;

/**
 * The Fourier measures of every checkpoint of a run into analysis.json, with a line saying how they
 * moved. A run of the original script (.pth files) is imported first. The plots are drawn a floor
 * above ({@code report}), by the caller, in the directory {@link #analyze} returns.
 */
public final class AnalyzeJob {
    private final double eta;
    private final Function<Path, GridLogitsSource> gridLogits;
    private final PrintStream report;

    /**
     * @param eta        the FFD threshold
     * @param gridLogits where restricted/excluded loss gets its model: given a run directory, a source that
     *                   evaluates a checkpoint's network on operand pairs, or null (from the function, or the
     *                   function itself null) to skip the loss ablation; usually {@link #ownNetwork}
     * @param report     where the import and the measures are printed
     */
    public AnalyzeJob(double eta, Function<Path, GridLogitsSource> gridLogits, PrintStream report) {
        this.eta = eta;
        this.gridLogits = gridLogits;
        this.report = report;
    }

    /** The run's own network, rebuilt from each checkpoint ({@link ModelGridLogits}); why it cannot be goes to {@code log}. */
    public static Function<Path, GridLogitsSource> ownNetwork(Consumer<String> log) {
        return run -> ModelGridLogits.forRun(run, log);
    }

    /**
     * Analyses one run and writes RUN/analysis.json.
     *
     * @param op the operation a run of the original script trained (its files do not say); null for polygrok's runs
     * @return the directory analysed: the run itself, or RUN/polygrok for an imported run
     */
    public Path analyze(Path given, String op) {
        Path run = importedIfPth(given, op);
        RunAnalysis a = new RunAnalyzer(eta, gridLogits == null ? null : gridLogits.apply(run)).analyzeAndWrite(run);
        CheckpointMeasures first = a.checkpoints().get(0);
        CheckpointMeasures last = a.checkpoints().get(a.checkpoints().size() - 1);
        report.printf("%s: %d checkpoints; FFD %.3f -> %.3f, FCR %.3f -> %.3f, key frequencies %s%n",
                run, a.checkpoints().size(), first.ffd(), last.ffd(), first.fcr(), last.fcr(), Arrays.toString(last.keyFrequencies()));
        if (last.restrictedLoss() != null) {
            report.printf("%s: at the end, loss %.3g, restricted to the key frequencies %.3g, excluding them %.3g%n",
                    run, last.fullLoss(), last.restrictedLoss(), last.excludedLoss());
        }
        var split = SymbolOperandAccuracy.analyze(run);
        if (!split.isEmpty()) {
            var end = split.get(split.size() - 1);
            report.printf("%s: test accuracy at the end: %.1f%% on %d pairs of numbers, %.1f%% on %d pairs with a symbol operand (%s)%n",
                    run, 100 * end.numberAcc(), end.numberPairs(), 100 * end.symbolAcc(), end.symbolPairs(), SymbolOperandAccuracy.FILE_NAME);
        }
        return run;
    }

    /**
     * A run of the original script is imported once into RUN/polygrok (config.json and checkpoints that
     * analyze and report read); polygrok's own runs are analysed where they are.
     */
    private Path importedIfPth(Path dir, String op) {
        try {
            if (!PthRunImport.isPthRun(dir)) {
                return dir;
            }
            if (op == null) {
                throw new IllegalArgumentException(dir + " is a run of the original script (.pth files): name the operation it trained"
                        + " with --op (e.g. --op add); the files do not record it");
            }
            Path out = dir.resolve("polygrok");
            PthRunImport.importRun(dir, out, op);
            report.println(dir + ": imported the original run's checkpoints into " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
