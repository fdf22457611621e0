package polygrok.analysis;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import polygrok.io.AtomicFiles;
import polygrok.io.DirectoryLock;

/**
 * The paper's Table A.5 for a sweep directory: one row per sweep point (op list and train
 * fraction, plus lr etc. when swept) with, over its seeds, epochs to 99% test accuracy (mean ±
 * std over the seeds that got there), best test accuracy, the share of seeds that grokked, and
 * FFD/FCR at the end when the runs logged them. Written as {@code table.csv} and as an HTML table
 * fragment, {@code table.html}, that a report can embed as is.
 *
 * <p>Reads only files a run writes (summary.json, config.json, metrics.jsonl), so it works on a
 * sweep that is still running: unfinished runs are counted, not averaged, and those another process
 * is training at the time are counted as in progress (column in_progress). Rows follow the grid
 * order recorded in SWEEP_DIR/sweep.json when present, else directory-name order.
 */
public record SweepTable(Path sweepDir, List<SweepTableRow> rows) {
    public static final String CSV_FILE = "table.csv";
    /** Written by `polygrok sweep`: the sweep's points in grid order. */
    public static final String PLAN_FILE = "sweep.json";

    public SweepTable {
        rows = List.copyOf(rows);
    }

    /** Reads every point directory (one holding seed_* run directories) under {@code sweepDir}. */
    public static SweepTable read(Path sweepDir) {
        if (!Files.isDirectory(sweepDir)) {
            throw new IllegalArgumentException("sweep directory " + sweepDir + " does not exist");
        }
        List<SweepTableRow> rows = new ArrayList<>();
        for (Path point : pointDirs(sweepDir)) {
            rows.add(row(point));
        }
        return new SweepTable(sweepDir, rows);
    }

    /** Writes table.csv into the sweep directory (atomically); returns its path. */
    public Path write() {
        try {
            AtomicFiles.writeString(sweepDir.resolve(CSV_FILE), csv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep table into " + sweepDir + ": " + e.getMessage(), e);
        }
        return sweepDir.resolve(CSV_FILE);
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("point,ops,p,train_fraction,lr,weight_decay,seeds,finished,unfinished,grokked,"
                + "grokked_fraction,epochs_to_99_mean,epochs_to_99_std,best_test_acc_mean,best_test_acc_std,"
                + "ffd_end_mean,ffd_end_std,fcr_end_mean,fcr_end_std,in_progress\n");
        for (SweepTableRow r : rows) {
            List<String> cells = List.of(r.point(), r.ops(), str(r.p()), num(r.trainFraction()), num(r.lr()), num(r.weightDecay()),
                    String.join(" ", r.seeds().stream().map(String::valueOf).toList()), String.valueOf(r.finished()),
                    String.valueOf(r.unfinished()), String.valueOf(r.grokked()), num(r.grokkedFraction()),
                    num(r.epochsTo99().mean()), num(r.epochsTo99().std()), num(r.bestTestAcc().mean()), num(r.bestTestAcc().std()),
                    num(r.ffdEnd().mean()), num(r.ffdEnd().std()), num(r.fcrEnd().mean()), num(r.fcrEnd().std()),
                    String.valueOf(r.inProgress()));
            sb.append(String.join(",", cells.stream().map(SweepTable::csvCell).toList())).append('\n');
        }
        return sb.toString();
    }

    private static List<Path> pointDirs(Path sweepDir) {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(sweepDir)) {
            dirs = s.filter(d -> Files.isDirectory(d) && !seedDirs(d).isEmpty()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sweepDir + ": " + e.getMessage(), e);
        }
        List<String> order = plannedOrder(sweepDir);
        return dirs.stream().sorted(Comparator.comparingInt(d -> {
            int i = order.indexOf(d.getFileName().toString());
            return i < 0 ? Integer.MAX_VALUE : i;
        })).toList(); // a stable sort: unplanned points keep name order, after the planned ones
    }

    private static List<String> plannedOrder(Path sweepDir) {
        Path plan = sweepDir.resolve(PLAN_FILE);
        List<String> order = new ArrayList<>();
        JsonObject o = polygrok.io.JsonFiles.readObjectIfPresent(plan);
        if (o != null && o.has("points") && o.get("points").isJsonArray()) {
            for (JsonElement e : o.getAsJsonArray("points")) {
                order.add(e.getAsString());
            }
        }
        return order;
    }

    private static List<Path> seedDirs(Path point) {
        try (Stream<Path> s = Files.list(point)) {
            return s.filter(d -> Files.isDirectory(d) && d.getFileName().toString().matches("seed_\\d+"))
                    .sorted(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(5)))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + point + ": " + e.getMessage(), e);
        }
    }

    private static SweepTableRow row(Path point) {
        List<Long> seeds = new ArrayList<>();
        int unfinished = 0, inProgress = 0, grokked = 0;
        DescriptiveStatistics epochs = new DescriptiveStatistics(), best = new DescriptiveStatistics();
        DescriptiveStatistics ffd = new DescriptiveStatistics(), fcr = new DescriptiveStatistics();
        Set<String> ops = new LinkedHashSet<>();
        Integer p = null;
        Double fraction = null, lr = null, wd = null;
        for (Path run : seedDirs(point)) {
            JsonObject config = polygrok.io.JsonFiles.readObjectIfPresent(run.resolve("config.json"));
            if (config != null) {
                p = p != null ? p : integer(config, "p");
                fraction = fraction != null ? fraction : number(config, "train_fraction");
                if (config.has("optimizer") && config.get("optimizer").isJsonObject()) {
                    lr = lr != null ? lr : number(config.getAsJsonObject("optimizer"), "lr");
                    wd = wd != null ? wd : number(config.getAsJsonObject("optimizer"), "weight_decay");
                }
                if (ops.isEmpty() && config.has("ops") && config.get("ops").isJsonArray()) {
                    config.getAsJsonArray("ops").forEach(e -> ops.add(e.getAsString()));
                }
            }
            JsonObject summary = polygrok.io.JsonFiles.readObjectIfPresent(run.resolve("summary.json"));
            if (summary == null) {
                unfinished++;
                // a run whose lock is held is training now (another shard or launch): its numbers are not in yet
                inProgress += DirectoryLock.holder(run).isPresent() ? 1 : 0;
                continue;
            }
            seeds.add(Long.parseLong(run.getFileName().toString().substring(5)));
            if (ops.isEmpty() && summary.has("ops") && summary.get("ops").isJsonArray()) {
                summary.getAsJsonArray("ops").forEach(e -> ops.add(e.getAsString()));
            }
            p = p != null ? p : integer(summary, "p");
            fraction = fraction != null ? fraction : number(summary, "train_fraction");
            JsonObject to = summary.has("epochs_to_acc") && summary.get("epochs_to_acc").isJsonObject()
                    ? summary.getAsJsonObject("epochs_to_acc") : new JsonObject();
            Double e99 = number(to, "0.99");
            if (e99 != null) {
                grokked++;
                epochs.addValue(e99);
            }
            Double b = number(summary, "best_test_acc");
            if (b != null && !b.isNaN()) {
                best.addValue(b);
            }
            double[] end = lastFourier(run, summary);
            if (!Double.isNaN(end[0])) {
                ffd.addValue(end[0]);
            }
            if (!Double.isNaN(end[1])) {
                fcr.addValue(end[1]);
            }
        }
        return new SweepTableRow(point.getFileName().toString(), String.join(" + ", ops), p, fraction, lr, wd, seeds, unfinished,
                inProgress, grokked, stat(epochs), stat(best), stat(ffd), stat(fcr));
    }

    /** The last logged ffd and fcr: from the summary's final line, else the newest metrics line that has them. */
    private static double[] lastFourier(Path run, JsonObject summary) {
        JsonObject last = summary.has("final") && summary.get("final").isJsonObject() ? summary.getAsJsonObject("final") : null;
        if (last != null && last.has("ffd") && last.has("fcr")) {
            Double f = number(last, "ffd"), c = number(last, "fcr");
            return new double[]{f == null ? Double.NaN : f, c == null ? Double.NaN : c};
        }
        Path metrics = run.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            return new double[]{Double.NaN, Double.NaN};
        }
        try {
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.contains("\"ffd\"")) { // parse only the lines that can hold the values
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    Double f = number(o, "ffd"), c = number(o, "fcr");
                    return new double[]{f == null ? Double.NaN : f, c == null ? Double.NaN : c};
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read FFD/FCR from " + metrics + ": " + e.getMessage(), e);
        }
        return new double[]{Double.NaN, Double.NaN};
    }

    private static SweepTableRow.Stat stat(DescriptiveStatistics s) {
        if (s.getN() == 0) {
            return SweepTableRow.Stat.NONE;
        }
        return new SweepTableRow.Stat((int) s.getN(), s.getMean(), s.getN() < 2 ? Double.NaN : s.getStandardDeviation());
    }

    private static Double number(JsonObject o, String key) {
        if (o == null || !o.has(key) || o.get(key).isJsonNull() || !o.get(key).isJsonPrimitive()) {
            return null;
        }
        return o.get(key).getAsDouble();
    }

    private static Integer integer(JsonObject o, String key) {
        Double d = number(o, key);
        return d == null ? null : (int) Math.round(d);
    }

    private static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue()) : String.valueOf(v);
    }

    private static String str(Integer v) {
        return v == null ? "" : v.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
