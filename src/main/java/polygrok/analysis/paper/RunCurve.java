package polygrok.analysis.paper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import com.google.gson.JsonObject;
import polygrok.io.JsonLines;
import polygrok.io.RecordedCurve;

/**
 * A run's test accuracy at each eval, from its metrics.jsonl or, for a run kept in a results record
 * (bench/record_runs.py keeps config, summary and curve only), its curve.csv; for one task of a
 * mixture, that task's test accuracy (metrics.jsonl's {@code tasks}, curve.csv's {@code test_acc:<task>}).
 *
 * @param epochs  eval epochs, ascending
 * @param testAcc test accuracy at each
 */
public record RunCurve(double[] epochs, double[] testAcc) {
    public static final RunCurve NONE = new RunCurve(new double[0], new double[0]);

    public int size() {
        return epochs.length;
    }

    /** The curve of a run directory, or {@link #NONE} when it holds neither file. */
    public static RunCurve read(Path dir) throws IOException {
        return read(dir, null);
    }

    /** The curve of one task of a mixture ({@code task} null: the run's test accuracy); empty when the files lack it. */
    public static RunCurve read(Path dir, String task) throws IOException {
        Path metrics = dir.resolve("metrics.jsonl"), csv = dir.resolve(RecordedCurve.FILE_NAME);
        List<JsonObject> lines = Files.isRegularFile(metrics) ? JsonLines.read(metrics)
                : Files.isRegularFile(csv) ? RecordedCurve.read(csv) : List.of();
        List<double[]> points = new ArrayList<>();
        for (JsonObject line : lines) {
            JsonObject holder = task == null ? line
                    : line.has("tasks") && line.getAsJsonObject("tasks").has(task) ? line.getAsJsonObject("tasks").getAsJsonObject(task) : null;
            if (holder != null && holder.has("test_acc") && holder.get("test_acc").isJsonPrimitive()) {
                points.add(new double[] {line.get("epoch").getAsInt(), holder.get("test_acc").getAsDouble()});
            }
        }
        return new RunCurve(points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** The evals before {@code epoch} (a continued run's curve goes on past its summary); the whole curve when it is <= 0. */
    public RunCurve before(int epoch) {
        if (epoch <= 0) {
            return this;
        }
        int n = 0;
        while (n < epochs.length && epochs[n] < epoch) {
            n++;
        }
        return new RunCurve(java.util.Arrays.copyOf(epochs, n), java.util.Arrays.copyOf(testAcc, n));
    }
}
