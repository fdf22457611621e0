package polygrok.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.analysis.CheckpointMeasures;
import polygrok.analysis.GridLogitsSource;
import polygrok.analysis.RunAnalysis;
import polygrok.analysis.RunAnalyzer;
import polygrok.report.RunData;
import polygrok.report.RunFigures;
import polygrok.report.RunPlots;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import polygrok.jobs.ModelGridLogits;

/** `polygrok analyze RUN_DIR...`: Fourier measures of every checkpoint into analysis.json, and the plots. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Compute FFD, FCR, key frequencies, Gini and PCA for every checkpoint of a run; "
                + "write RUN_DIR/analysis.json and PNG plots under RUN_DIR/plots/.")
public final class AnalyzeCommand implements Runnable {
    /**
     * Where restricted/excluded loss gets its model: given a run directory, a {@link GridLogitsSource}
     * that evaluates the network of a checkpoint on operand pairs, or null to skip the loss ablation.
     * By default the run's own network, rebuilt from each checkpoint ({@link ModelGridLogits}).
     */
    public static volatile Function<Path, GridLogitsSource> gridLogits = run -> ModelGridLogits.forRun(run, System.out::println);

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
            description = "run directories (each with config.json and checkpoints/), or the original script's (init.pth, N.pth, ...)")
    List<Path> runs;

    @Option(names = "--eta", defaultValue = "0.5", description = "FFD threshold eta (default: ${DEFAULT-VALUE})")
    double eta;

    @Option(names = "--no-plots", description = "write analysis.json only")
    boolean noPlots;

    @Option(names = "--no-ablation", description = "skip restricted/excluded loss (it runs the network on all p^2 pairs per checkpoint)")
    boolean noAblation;

    @Option(names = "--op", paramLabel = "OP",
            description = "for a directory of the original script's .pth files: the operation it trained (the files do not say)")
    String op;

    @Override
    public void run() {
        for (Path given : runs) {
            Path run = importedIfPth(given);
            RunAnalysis a = new RunAnalyzer(eta, noAblation ? null : gridLogits.apply(run)).analyzeAndWrite(run);
            CheckpointMeasures first = a.checkpoints().get(0);
            CheckpointMeasures last = a.checkpoints().get(a.checkpoints().size() - 1);
            System.out.printf("%s: %d checkpoints; FFD %.3f -> %.3f, FCR %.3f -> %.3f, key frequencies %s%n",
                    run, a.checkpoints().size(), first.ffd(), last.ffd(), first.fcr(), last.fcr(), Arrays.toString(last.keyFrequencies()));
            if (last.restrictedLoss() != null) {
                System.out.printf("%s: at the end, loss %.3g, restricted to the key frequencies %.3g, excluding them %.3g%n",
                        run, last.fullLoss(), last.restrictedLoss(), last.excludedLoss());
            }
            if (!noPlots) {
                RunFigures figures = RunPlots.drawAndWrite(RunData.load(run));
                System.out.printf("%s: %d plots in %s%n", run, figures.all().size(), run.resolve("plots"));
            }
        }
    }

    /**
     * A run of the original script is imported once into RUN/polygrok (config.json and checkpoints that
     * analyze and report read); polygrok's own runs are analysed where they are.
     */
    private Path importedIfPth(Path dir) {
        try {
            if (!polygrok.train.PthRunImport.isPthRun(dir)) {
                return dir;
            }
            if (op == null) {
                throw new UserError(dir + " is a run of the original script (.pth files): name the operation it trained with --op"
                        + " (e.g. --op add); the files do not record it");
            }
            Path out = dir.resolve("polygrok");
            polygrok.train.PthRunImport.importRun(dir, out, op);
            System.out.println(dir + ": imported the original run's checkpoints into " + out);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }
}
