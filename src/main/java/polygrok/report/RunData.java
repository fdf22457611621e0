package polygrok.report;

import com.google.gson.JsonObject;
import polygrok.analysis.RunAnalysis;
import polygrok.analysis.RunAnalyzer;
import polygrok.io.JsonLines;
import polygrok.io.RecordedCurve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the report reads from one run directory. Only metrics.jsonl is required; a missing
 * summary.json (a run still going) or analysis.json (not analysed yet) leaves its field null.
 */
public record RunData(Path dir, JsonObject config, JsonObject summary, List<JsonObject> metrics, RunAnalysis analysis) {
    public RunData {
        metrics = List.copyOf(metrics);
        config = config == null ? new JsonObject() : config;
    }

    /** A run directory as training leaves it (metrics.jsonl), or as bench/record_runs.py keeps one (config.json and curve.csv). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("metrics.jsonl"))
                || Files.isRegularFile(dir.resolve(RecordedCurve.FILE_NAME)) && Files.isRegularFile(dir.resolve("config.json"));
    }

    public static RunData load(Path dir) {
        Path metricsFile = dir.resolve("metrics.jsonl"), curveFile = dir.resolve(RecordedCurve.FILE_NAME);
        if (!isRun(dir)) {
            throw new IllegalArgumentException("run directory " + dir + " has no metrics.jsonl (nor a recorded curve.csv); is it a polygrok run?");
        }
        List<JsonObject> metrics;
        try {
            metrics = Files.isRegularFile(metricsFile) ? JsonLines.read(metricsFile) : RecordedCurve.read(curveFile);
        } catch (IOException | RuntimeException e) {
            Path read = Files.isRegularFile(metricsFile) ? metricsFile : curveFile;
            throw new UncheckedIOException("cannot read " + read + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
        Path analysisFile = dir.resolve(RunAnalyzer.FILE_NAME);
        RunAnalysis analysis = Files.isRegularFile(analysisFile) ? RunAnalyzer.read(analysisFile) : null;
        return new RunData(dir, polygrok.io.JsonFiles.readObjectIfPresent(dir.resolve("config.json")), polygrok.io.JsonFiles.readObjectIfPresent(dir.resolve("summary.json")), metrics, analysis);
    }

    /**
     * The run's label: the summary's run name ("quick_add/seed_0"), else the directory name with its
     * parent when the directory is a bare seed_N (the trainer's OUT/name/seed_N layout).
     */
    public String label() {
        String s = string(summary, "name");
        if (s != null) {
            return s;
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        if (name == null) {
            return dir.toString();
        }
        Path parent = abs.getParent() == null ? null : abs.getParent().getFileName();
        return name.toString().matches("seed_\\d+") && parent != null ? parent + "/" + name : name.toString();
    }

    /** The experiment (configuration) this run belongs to: the summary's config_name, else the config's name, else the label. */
    public String experimentName() {
        String s = string(summary, "config_name");
        if (s == null) {
            s = string(config, "name");
        }
        if (s == null) {
            s = string(summary, "name");
        }
        return s == null ? label() : s;
    }

    public List<String> ops() {
        JsonObject src = summary != null && summary.has("ops") ? summary : config;
        List<String> ops = new ArrayList<>();
        if (src.has("ops") && src.get("ops").isJsonArray()) {
            src.getAsJsonArray("ops").forEach(e -> ops.add(e.getAsString()));
        }
        return ops;
    }

    public Integer seed() {
        if (summary != null && summary.has("seed") && !summary.get("seed").isJsonNull()) {
            return summary.get("seed").getAsInt();
        }
        if (config.has("seeds") && config.get("seeds").isJsonArray() && config.getAsJsonArray("seeds").size() == 1) {
            return config.getAsJsonArray("seeds").get(0).getAsInt();
        }
        return null;
    }

    /** Metric values of a top-level key per eval line, NaN where missing. */
    public double[] series(String key) {
        double[] out = new double[metrics.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(metrics.get(i), key);
        }
        return out;
    }

    /** Per-task metric values for a mixture, NaN where missing. */
    public double[] taskSeries(String op, String key) {
        double[] out = new double[metrics.size()];
        for (int i = 0; i < out.length; i++) {
            JsonObject tasks = metrics.get(i).has("tasks") ? metrics.get(i).getAsJsonObject("tasks") : null;
            out[i] = tasks != null && tasks.has(op) ? number(tasks.getAsJsonObject(op), key) : Double.NaN;
        }
        return out;
    }

    /** Task names present in the metrics' "tasks" maps, in first-seen order. */
    public List<String> tasks() {
        List<String> names = new ArrayList<>();
        for (JsonObject m : metrics) {
            if (m.has("tasks") && m.get("tasks").isJsonObject()) {
                for (String k : m.getAsJsonObject("tasks").keySet()) {
                    if (!names.contains(k)) {
                        names.add(k);
                    }
                }
            }
        }
        return names;
    }

    static double number(JsonObject o, String key) {
        if (o == null || !o.has(key) || o.get(key).isJsonNull() || !o.get(key).isJsonPrimitive()) {
            return Double.NaN;
        }
        return o.get(key).getAsDouble();
    }

    static String string(JsonObject o, String key) {
        return o != null && o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }

    /** Epoch at which test accuracy first reached the threshold (0.5, 0.9, 0.99), from the summary or the metrics. */
    public Integer epochsToAccuracy(double threshold) {
        if (summary != null && summary.has("epochs_to_acc")) {
            JsonObject to = summary.getAsJsonObject("epochs_to_acc");
            for (String key : to.keySet()) {
                if (Math.abs(Double.parseDouble(key) - threshold) < 1e-9) {
                    return to.get(key).isJsonNull() ? null : to.get(key).getAsInt();
                }
            }
        }
        double[] acc = series("test_acc");
        double[] epochs = series("epoch");
        for (int i = 0; i < acc.length; i++) {
            if (acc[i] >= threshold) {
                return (int) epochs[i];
            }
        }
        return null;
    }

    public double bestTestAccuracy() {
        double fromSummary = number(summary, "best_test_acc");
        if (!Double.isNaN(fromSummary)) {
            return fromSummary;
        }
        double best = Double.NaN;
        for (double a : series("test_acc")) {
            if (!Double.isNaN(a)) {
                best = Double.isNaN(best) ? a : Math.max(best, a);
            }
        }
        return best;
    }
}
