package polygrok.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.jobs.AnalyzeJob;
import polygrok.report.RunData;
import polygrok.report.RunFigures;
import polygrok.report.RunPlots;

/** `polygrok analyze RUN_DIR...`: Fourier measures of every checkpoint into analysis.json, and the plots. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Compute FFD, FCR, key frequencies, Gini and PCA for every checkpoint of a run; "
                + "write RUN_DIR/analysis.json and PNG plots under RUN_DIR/plots/.")
final class AnalyzeCommand implements Runnable {
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
        AnalyzeJob job = new AnalyzeJob(eta, noAblation ? null : AnalyzeJob.ownNetwork(System.out::println), System.out);
        for (Path given : runs) {
            Path run = job.analyze(given, op);
            // the plots are the report floor's, above the jobs: drawn here, after the job wrote analysis.json
            if (!noPlots) {
                RunFigures figures = RunPlots.drawAndWrite(RunData.load(run));
                System.out.printf("%s: %d plots in %s%n", run, figures.all().size(), run.resolve("plots"));
            }
        }
    }
}
