package polygrok.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.report.ReportBuilder;

import java.nio.file.Path;
import java.util.List;

/** `polygrok report RUN_DIR... -o report.html`: one self-contained HTML report. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report (inline images, no network) of one or more runs: "
                + "a summary across runs and seeds, then curves, Fourier spectra, embeddings and weights per run.")
public final class ReportCommand implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run directories, or directories holding runs (a sweep)")
    List<Path> runs;

    @Option(names = {"-o", "--output"}, defaultValue = "report.html", description = "output HTML file (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--csv", description = "also write the summary by configuration as CSV here (default: beside the HTML, .csv)")
    Path csv;

    @Option(names = "--title", defaultValue = "grokking report", description = "report title (default: ${DEFAULT-VALUE})")
    String title;

    @Override
    public void run() {
        Path table = csv != null ? csv : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.html?$", "") + ".csv");
        ReportBuilder.write(title, runs, output, table);
        System.out.println("wrote " + output.toAbsolutePath().normalize() + " and " + table.toAbsolutePath().normalize());
    }
}
