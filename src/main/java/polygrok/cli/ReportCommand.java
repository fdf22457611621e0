package polygrok.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.analysis.paper.PaperTable;
import polygrok.analysis.paper.Reproduction;
import polygrok.analysis.paper.RunOutcome;
import polygrok.report.ReportBuilder;
import polygrok.report.ReproductionHtml;

import java.io.IOException;
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

    @Option(names = "--watch", arity = "0..1", fallbackValue = "10", paramLabel = "SECONDS",
            description = "keep rewriting the report every SECONDS (default 10) while runs train; the page reloads itself;"
                    + " ends when every run has ended, or on Ctrl-C")
    Integer watch;

    @Option(names = "--against", paramLabel = "TABLE",
            description = "put the runs beside one of the paper's tables instead: table_a5, table_1 or mixtures"
                    + " (writes the comparison HTML and CSV; the first line of each is the agreement count)")
    String against;

    @Override
    public void run() {
        if (against != null) {
            compare();
            return;
        }
        Path table = csv != null ? csv : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.html?$", "") + ".csv");
        if (watch != null) {
            int n = polygrok.report.LiveReport.watch(title, runs, output, table, watch, () -> false, System.out::println);
            System.out.println("wrote " + output.toAbsolutePath().normalize() + " " + n + " time(s)");
            return;
        }
        ReportBuilder.write(title, runs, output, table);
        System.out.println("wrote " + output.toAbsolutePath().normalize() + " and " + table.toAbsolutePath().normalize());
    }

    private void compare() {
        if (!PaperTable.NAMES.contains(against)) {
            throw new UserError("--against " + against + ": not one of the paper's tables; allowed: " + String.join(", ", PaperTable.NAMES));
        }
        Path table = csv != null ? csv : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.html?$", "") + ".csv");
        Reproduction r;
        try {
            r = Reproduction.compare(PaperTable.load(against), RunOutcome.scan(runs));
        } catch (IOException e) {
            throw new UserError("cannot read the runs: " + e.getMessage());
        }
        r.notComparableLines().forEach(System.out::println);
        if (r.cells().isEmpty()) {
            throw new UserError("--against " + against + ": nothing to compare under " + runs.stream().map(Path::toString)
                    .collect(java.util.stream.Collectors.joining(", ")) + ": " + (r.notComparable().isEmpty()
                    ? "no finished run of one of the table's operations (" + r.running() + " still training or interrupted)"
                    : r.notComparable().size() + " run(s) trained in another setup than the paper's (listed above)"));
        }
        System.out.println(r.headline());
        String heading = "grokking report".equals(title) ? "Reproduction of the paper's " + r.table().title() : title;
        ReproductionHtml.write(r, heading, output);
        r.writeCsv(table);
        System.out.println("wrote " + output.toAbsolutePath().normalize() + " and " + table.toAbsolutePath().normalize());
    }
}
