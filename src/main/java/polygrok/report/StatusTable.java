package polygrok.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** `polygrok status` as text: one aligned line per run, then the count by state. */
public final class StatusTable {
    private StatusTable() {
    }

    /**
     * Every run under the directories (run directories or directories holding runs), in path order; a run
     * found under a directory is named by its path below it (sweeps of one name can hold points of one name).
     */
    public static List<RunStatus> scan(List<Path> dirs) {
        List<RunStatus> out = new ArrayList<>();
        for (Path root : dirs) {
            for (Path run : ReportBuilder.expand(List.of(root))) {
                out.add(RunStatus.of(run, run.equals(root) ? null : root.relativize(run).toString()));
            }
        }
        return out;
    }

    public static List<String> render(List<RunStatus> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"run", "state", "epoch / budget", "test acc (best)", "epochs/s", "to budget"});
        int training = 0, ended = 0, grokked = 0, stopped = 0;
        for (RunStatus r : runs) {
            switch (r.state()) {
                case TRAINING -> training++;
                case ENDED -> ended++;
                case STOPPED -> stopped++;
            }
            if (r.grokkedAt() != null) {
                grokked++;
            }
            rows.add(new String[]{r.label(), state(r),
                    String.format(Locale.ROOT, "%,d / %s", r.epoch(), r.budget() < 0 ? "?" : String.format(Locale.ROOT, "%,d", r.budget())),
                    Double.isNaN(r.testAcc()) ? "\u2013" : String.format(Locale.ROOT, "%.1f%% (%.1f%%)", 100 * r.testAcc(), 100 * r.bestTestAcc()),
                    r.state() == RunStatus.State.TRAINING && !Double.isNaN(r.epochsPerSecond())
                            ? String.format(Locale.ROOT, "%.2f", r.epochsPerSecond()) : "",
                    Double.isNaN(r.secondsToBudget()) ? "" : HtmlReport.duration(r.secondsToBudget())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                s.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", row[i]));
            }
            lines.add(s.toString().stripTrailing());
        }
        lines.add(String.format(Locale.ROOT, "%d run(s): %d training, %d ended, %d stopped part-way; %d reached 99%% test accuracy",
                runs.size(), training, ended, stopped, grokked));
        return lines;
    }

    private static String state(RunStatus r) {
        return switch (r.state()) {
            case TRAINING -> "training (" + r.holder().replaceFirst(" on this host.*", "") + ")";
            case ENDED -> r.grokkedAt() != null ? String.format(Locale.ROOT, "grokked at %,d", r.grokkedAt()) : "ended";
            // a killed run's last lines are past its newest checkpoint: a resume trains them again
            case STOPPED -> r.resumesAt() > 0 ? String.format(Locale.ROOT, "stopped (resumes at %,d)", r.resumesAt())
                    : "stopped (starts over)";
        };
    }
}
