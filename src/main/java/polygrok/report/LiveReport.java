package polygrok.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import polygrok.io.AtomicFiles;

/**
 * The report of runs that are still training, rewritten every few seconds: while any run under the
 * directories has no summary.json the page carries a refresh tag (the browser reloads it) and a line
 * saying how far the runs are; once every run has ended, one last report is written without it and
 * the watch ends. Each write is atomic, so a browser never loads half a page.
 */
public final class LiveReport {
    private static final java.util.regex.Pattern EPOCH = java.util.regex.Pattern.compile("\"epoch\"\\s*:\\s*(\\d+)");

    private LiveReport() {
    }

    /** How far the runs under the directories are: how many still train, and the newest eval epoch of any. */
    record Progress(int runs, int training, int latestEpoch) {
    }

    static Progress progress(List<Path> dirs) {
        int runs = 0, training = 0, latest = -1;
        for (Path run : ReportBuilder.expand(dirs)) {
            runs++;
            if (!Files.exists(run.resolve("summary.json"))) {
                training++;
            }
            latest = Math.max(latest, lastEpoch(run.resolve("metrics.jsonl")));
        }
        return new Progress(runs, training, latest);
    }

    private static int lastEpoch(Path metrics) {
        try {
            List<String> lines = Files.readAllLines(metrics);
            for (int i = lines.size() - 1; i >= 0; i--) {
                var m = EPOCH.matcher(lines.get(i));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException e) {
            // a run whose metrics cannot be read this time shows up at the next rewrite
        }
        return -1;
    }

    /**
     * Rewrites {@code out} (and {@code csv}) every {@code seconds} until no run is training or
     * {@code stop} says so; returns the number of writes.
     */
    public static int watch(String title, List<Path> dirs, Path out, Path csv, int seconds, BooleanSupplier stop, Consumer<String> log) {
        return watch(title, dirs, out, csv, seconds, stop, log, true);
    }

    /** {@link #watch(String, List, Path, Path, int, BooleanSupplier, Consumer)}, with or without a section per run. */
    public static int watch(String title, List<Path> dirs, Path out, Path csv, int seconds, BooleanSupplier stop, Consumer<String> log,
                            boolean runSections) {
        if (seconds < 1) {
            throw new IllegalArgumentException("--watch " + seconds + ": the interval must be at least 1 second");
        }
        int writes = 0;
        while (true) {
            Progress p = progress(dirs);
            ReportBuilder.Output o = ReportBuilder.build(title, dirs, runSections);
            boolean live = p.training() > 0 && !stop.getAsBoolean();
            String html = live ? withRefresh(o.html(), seconds, p) : o.html();
            try {
                AtomicFiles.writeString(out, html);
                if (csv != null) {
                    AtomicFiles.writeString(csv, o.csv());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write report " + out + ": " + e.getMessage(), e);
            }
            writes++;
            log.accept(String.format("%s: %d of %d run(s) training, latest eval epoch %d%s", out.getFileName(), p.training(), p.runs(),
                    p.latestEpoch(), live ? "; next rewrite in " + seconds + " s" : "; all runs have ended, watch done"));
            if (!live) {
                return writes;
            }
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return writes;
            }
        }
    }

    /** The page with a refresh tag and a line saying it is live. */
    static String withRefresh(String html, int seconds, Progress p) {
        String meta = "<meta http-equiv=\"refresh\" content=\"" + seconds + "\">\n";
        String banner = "<p class=\"live\">Live: " + p.training() + " of " + p.runs() + " run(s) training, latest eval epoch "
                + p.latestEpoch() + "; rewritten every " + seconds + " s (last at "
                + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + ").</p>\n";
        return html.replaceFirst("<meta charset=\"utf-8\">\n", "<meta charset=\"utf-8\">\n" + meta)
                .replaceFirst("<body>\n", "<body>\n" + banner);
    }
}
