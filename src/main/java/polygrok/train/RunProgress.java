package polygrok.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import polygrok.io.JsonLines;

/** What the trainer tracks for the summary of one run: when test accuracy first crossed 50/90/99%, the best, the last line. */
final class RunProgress {
    static final double[] THRESHOLDS = {0.5, 0.9, 0.99};

    final Integer[] epochsTo = new Integer[THRESHOLDS.length];
    double bestTestAcc = Double.NaN;
    JsonObject last;
    String nonFinite;
    /** Why the run stopped before its budget (grokked, loss, NaN); null while it trains. */
    RunEnd stoppedEarly;
    int stoppedAt = -1;
    double wallOffset;

    boolean active() {
        return stoppedAt < 0;
    }

    void record(MetricsLine line) {
        record(line.epoch(), line.test().acc(), line.toJson());
    }

    private void record(int epoch, double testAcc, JsonObject json) {
        for (int t = 0; t < THRESHOLDS.length; t++) {
            if (epochsTo[t] == null && testAcc >= THRESHOLDS[t]) {
                epochsTo[t] = epoch;
            }
        }
        if (Double.isNaN(bestTestAcc) || testAcc > bestTestAcc) {
            bestTestAcc = testAcc;
        }
        last = json;
    }

    /** Why the run ended after {@code epochsRun} epochs: what stopped it early, else its budget. */
    RunEnd end(int epochsRun) {
        return stoppedEarly != null ? stoppedEarly : RunEnd.budget(epochsRun, bestTestAcc);
    }

    /** Rebuilds the trackers from the metrics a resumed run kept. */
    void replay(RunDirectory dir) throws IOException {
        if (!Files.exists(dir.metricsFile())) {
            return;
        }
        for (JsonObject o : JsonLines.read(dir.metricsFile())) {
            record(o.get("epoch").getAsInt(), o.get("test_acc").getAsDouble(), o);
        }
    }

    JsonObject summary(Trainer.Run run, int epochsRun, double wallSeconds, String backend) {
        JsonObject s = run.summary() == null ? new JsonObject() : run.summary().deepCopy();
        s.addProperty("name", run.name());
        s.addProperty("seed", run.seed());
        s.addProperty("backend", backend);
        s.addProperty("epochs_run", epochsRun);
        s.addProperty("wall_s", wallSeconds);
        JsonObject to = new JsonObject();
        for (int t = 0; t < THRESHOLDS.length; t++) {
            to.add(Double.toString(THRESHOLDS[t]), epochsTo[t] == null ? com.google.gson.JsonNull.INSTANCE
                    : new com.google.gson.JsonPrimitive(epochsTo[t]));
        }
        s.add("epochs_to_acc", to);
        s.addProperty("best_test_acc", bestTestAcc);
        if (nonFinite != null) {
            s.addProperty("stopped", nonFinite);
        }
        s.add("ended", end(epochsRun).toJson());
        s.add("final", last);
        return s;
    }
}
