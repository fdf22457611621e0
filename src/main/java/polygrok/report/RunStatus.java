package polygrok.report;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import polygrok.io.DirectoryLock;

/**
 * Where one run stands, from its files alone: who trains it now (its directory lock), how far it got,
 * how well it does, and how fast it went lately, for `polygrok status` over runs that train for hours.
 *
 * @param holder          who holds the run's lock ("pid N on this host (H)"), null when no one trains it
 * @param epoch           the newest logged eval epoch, -1 before the first
 * @param budget          the config's epochs, -1 when it has none
 * @param testAcc         test accuracy at the newest eval (NaN before the first)
 * @param grokkedAt       the first eval epoch at 99% test accuracy, null if none yet
 * @param epochsPerSecond over the newest two evals (NaN when unknown: fewer than two lines, or a resume between them)
 * @param resumesAt       the epoch a resume would start from (its newest epoch checkpoint or resume point), 0 when
 *                        it has none: after a kill the epochs past it are trained again
 */
public record RunStatus(String label, State state, String holder, int epoch, int budget, double testAcc,
                        double bestTestAcc, Integer grokkedAt, double epochsPerSecond, int resumesAt) {

    /** Training now (someone holds the lock), ended (a summary and no one training), or stopped part-way. */
    public enum State { TRAINING, ENDED, STOPPED }

    /** The run in {@code dir}, named by its own label (its summary's name, else its directory). */
    public static RunStatus of(Path dir) {
        return of(dir, null);
    }

    /** The run in {@code dir}, named {@code label} (null: its own label). */
    public static RunStatus of(Path dir, String label) {
        RunData run = RunData.load(dir);
        String holder = DirectoryLock.holder(dir).orElse(null);
        State state = holder != null ? State.TRAINING : run.summary() != null ? State.ENDED : State.STOPPED;
        List<JsonObject> lines = run.metrics();
        int epoch = lines.isEmpty() ? -1 : intOf(lines.get(lines.size() - 1), "epoch");
        double[] acc = run.series("test_acc");
        double last = acc.length == 0 ? Double.NaN : acc[acc.length - 1];
        int budget = run.config().has("epochs") && run.config().get("epochs").isJsonPrimitive()
                ? run.config().get("epochs").getAsInt() : -1;
        return new RunStatus(label != null ? label : run.label(), state, holder, epoch, budget, last, run.bestTestAccuracy(),
                run.epochsToAccuracy(0.99), rate(lines), resumesAt(dir));
    }

    /** The epoch of the run's newest epoch checkpoint or resume point, 0 when it has none (or its directory cannot be listed). */
    static int resumesAt(Path dir) {
        try {
            return new polygrok.train.RunDirectory(dir).latestEpochCheckpoint().map(polygrok.train.RunDirectory::epochOf).orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Epochs per second between the newest two lines that carry a wall time, when the clock ran forward between them. */
    static double rate(List<JsonObject> lines) {
        if (lines.size() < 2) {
            return Double.NaN;
        }
        JsonObject a = lines.get(lines.size() - 2), b = lines.get(lines.size() - 1);
        double dw = RunData.number(b, "wall_s") - RunData.number(a, "wall_s");
        int de = intOf(b, "epoch") - intOf(a, "epoch");
        return dw > 0 && de > 0 ? de / dw : Double.NaN;
    }

    /** Seconds to the budget at the recent rate (a run that reaches its stop accuracy ends sooner); NaN when unknown. */
    public double secondsToBudget() {
        return state == State.TRAINING && budget > epoch && epochsPerSecond > 0 ? (budget - 1 - epoch) / epochsPerSecond : Double.NaN;
    }

    private static int intOf(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsInt() : -1;
    }
}
