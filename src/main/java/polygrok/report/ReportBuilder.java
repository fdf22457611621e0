package polygrok.report;

import polygrok.analysis.CheckpointFiles;
import polygrok.analysis.RunAnalyzer;
import polygrok.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns run directories into the HTML report. A directory that is not itself a run (no
 * metrics.jsonl, nor the curve.csv a results record keeps instead) but holds runs up to four levels down (a train or
 * sweep output, a sweep's stages) contributes all of them.
 * Runs with checkpoints but no analysis.json are analysed in memory (nothing is written to them).
 */
public final class ReportBuilder {
    private ReportBuilder() {
    }

    /** The run directories named, expanding directories of runs. */
    public static List<Path> expand(List<Path> dirs) {
        List<Path> runs = new ArrayList<>();
        for (Path d : dirs) {
            if (RunData.isRun(d)) {
                runs.add(d);
                continue;
            }
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("run directory " + d + " does not exist");
            }
            // the trainer writes OUT/<name>/seed_<s>/, a sweep one more level and its stages another: look four deep
            try (Stream<Path> s = Files.walk(d, 4)) {
                List<Path> children = s.filter(RunData::isRun).sorted().toList();
                if (children.isEmpty()) {
                    throw new IllegalArgumentException(d + " is neither a run directory (no metrics.jsonl or recorded curve.csv) nor a directory of runs");
                }
                runs.addAll(children);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + d, e);
            }
        }
        return runs;
    }

    /** The report's HTML and the summary CSV. */
    public record Output(String html, String csv) {
    }

    public static Output build(String title, List<Path> dirs) {
        return build(title, dirs, true);
    }

    /**
     * @param runSections false for the tables and the curves side by side only: no run is analysed or
     *                    drawn on its own, which keeps a page over dozens of runs small and quick
     */
    public static Output build(String title, List<Path> dirs, boolean runSections) {
        List<HtmlReport.Entry> entries = new ArrayList<>();
        for (Path dir : expand(dirs)) {
            RunData run = RunData.load(dir);
            if (runSections && run.analysis() == null && !CheckpointFiles.list(dir).isEmpty()) {
                run = new RunData(run.dir(), run.config(), run.summary(), run.metrics(), new RunAnalyzer(0.5, null).analyze(dir));
            }
            entries.add(new HtmlReport.Entry(run, RunSummary.of(run), runSections ? RunPlots.draw(run) : null));
        }
        List<SeedGroup> groups = SeedGroup.of(entries.stream().map(HtmlReport.Entry::summary).toList());
        List<String> sweeps = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve(polygrok.analysis.SweepTable.PLAN_FILE))) {
                sweeps.add(SweepTableHtml.render(polygrok.analysis.SweepTable.read(d)));
            }
        }
        return new Output(HtmlReport.render(title, entries, sweeps, runSections), SummaryCsv.render(groups));
    }

    /** Writes the HTML report to {@code out} and, when {@code csv} is not null, the summary table there. */
    public static void write(String title, List<Path> dirs, Path out, Path csv) {
        write(title, dirs, out, csv, true);
    }

    /** {@link #write(String, List, Path, Path)}, with or without a section per run. */
    public static void write(String title, List<Path> dirs, Path out, Path csv, boolean runSections) {
        Output o = build(title, dirs, runSections);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.writeString(out, o.html());
            if (csv != null) {
                AtomicFiles.writeString(csv, o.csv());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + out + ": " + e.getMessage(), e);
        }
    }
}
