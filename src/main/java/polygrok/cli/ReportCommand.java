package polygrok.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.analysis.paper.PaperTable;
import polygrok.analysis.paper.ReproductionSet;
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

    @Option(names = "--no-runs",
            description = "leave out the section of figures each run gets (curves, spectra, embedding, weights): the page"
                    + " holds the tables and every configuration's curves side by side, and stays small over many runs")
    boolean noRuns;

    @Option(names = "--against", paramLabel = "TABLE", split = ",",
            description = "put the runs beside the paper's tables instead: table_a5, table_1, mixtures, or several separated by"
                    + " commas, counted together (writes the comparison HTML, CSV and markdown; the first line of each is the count)")
    List<String> against;

    @Override
    public void run() {
        if (against != null) {
            compare();
            return;
        }
        Path table = csv != null ? csv : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.html?$", "") + ".csv");
        if (watch != null) {
            int n = polygrok.report.LiveReport.watch(title, runs, output, table, watch, () -> false, System.out::println, !noRuns);
            System.out.println("wrote " + output.toAbsolutePath().normalize() + " " + n + " time(s)");
            return;
        }
        ReportBuilder.write(title, runs, output, table, !noRuns);
        System.out.println("wrote " + output.toAbsolutePath().normalize() + " and " + table.toAbsolutePath().normalize());
    }

    private void compare() {
        if (noRuns) {
            throw new UserError("--no-runs shapes the report of runs; --against writes the comparison with the paper, which has no"
                    + " section per run: leave one of the two out");
        }
        for (String name : against) {
            if (!PaperTable.NAMES.contains(name)) {
                throw new UserError("--against " + name + ": not one of the paper's tables; allowed: " + String.join(", ", PaperTable.NAMES)
                        + ", or several separated by commas");
            }
        }
        String stem = output.getFileName().toString().replaceFirst("\\.html?$", "");
        Path table = csv != null ? csv : output.resolveSibling(stem + ".csv");
        Path markdown = output.resolveSibling(stem + ".md");
        ReproductionSet set;
        try {
            set = ReproductionSet.compare(against, runs);
        } catch (IOException e) {
            throw new UserError("cannot read the runs: " + e.getMessage());
        }
        set.setAsideLines().forEach(System.out::println);
        System.out.println(set.headline());
        String heading = !"grokking report".equals(title) ? title : set.tables().size() == 1
                ? "Reproduction of the paper's " + set.tables().get(0).table().title() : "Reproduction of the paper";
        ReproductionHtml.write(set, heading, output);
        set.writeCsv(table);
        set.writeMarkdown(markdown, heading);
        System.out.println("wrote " + output.toAbsolutePath().normalize() + ", " + table.toAbsolutePath().normalize() + " and "
                + markdown.toAbsolutePath().normalize());
    }
}
