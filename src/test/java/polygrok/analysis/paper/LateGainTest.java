package polygrok.analysis.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test accuracy a run gained over the last fifth of its epochs, from either curve a run directory can hold. */
class LateGainTest {

    /** Evals every 10 epochs to epoch 9,999 (the budget's last), test accuracy rising 1 point per 1,000 epochs. */
    static List<double[]> rising() {
        List<double[]> curve = new ArrayList<>();
        for (int e = 0; e < 10000; e += 10) {
            curve.add(new double[] {e, e / 100000.0});
        }
        curve.add(new double[] {9999, 9999 / 100000.0});
        return curve;
    }

    static RunCurve curve(List<double[]> points) {
        return new RunCurve(points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    @Test
    void theWindowRunsFromTheLastEvalAtOrBeforeFourFifthsToTheLastEval() {
        LateGain g = LateGain.of(curve(rising()));
        assertEquals(7990, g.fromEpoch(), "9,999 - 0.2 x 10,000 = 7,999: the eval at or before it");
        assertEquals(9999, g.toEpoch());
        assertEquals(100 * (9999 - 7990) / 100000.0, g.points(), 1e-12);
    }

    @Test
    void aFallIsNegativeAndACurveTooShortHasNone() {
        assertEquals(-40, LateGain.of(curve(List.of(new double[] {0, 0.9}, new double[] {100, 0.5}))).points(), 1e-12);
        assertFalse(LateGain.of(curve(List.<double[]>of(new double[] {0, 0.5}))).known());
        assertFalse(LateGain.of(RunCurve.NONE).known());
    }

    @Test
    void readsMetricsOrARecordedCurveAndStopsWhereTheSummaryEnded(@TempDir Path withMetrics, @TempDir Path recorded) throws IOException {
        StringBuilder jsonl = new StringBuilder(), csv = new StringBuilder("epoch,train_loss,train_acc,test_loss,test_acc\n");
        for (double[] p : rising()) {
            JsonObject line = new JsonObject();
            line.addProperty("epoch", (int) p[0]);
            line.addProperty("test_acc", p[1]);
            jsonl.append(line).append('\n');
            csv.append((int) p[0]).append(",1.0,1.0,2.0,").append(p[1]).append('\n');
        }
        // the run was continued past its summary's 10,000 epochs: those evals are not the summary's
        for (int e = 10000; e < 12000; e += 10) {
            JsonObject line = new JsonObject();
            line.addProperty("epoch", e);
            line.addProperty("test_acc", 0.99);
            jsonl.append(line).append('\n');
        }
        Files.writeString(withMetrics.resolve("metrics.jsonl"), jsonl.toString());
        Files.writeString(recorded.resolve("curve.csv"), csv.toString());
        assertEquals(LateGain.of(curve(rising())), LateGain.read(withMetrics, null, 10000));
        assertEquals(LateGain.of(curve(rising())), LateGain.read(recorded, null, 10000));
        assertEquals(11990, LateGain.read(withMetrics, null, -1).toEpoch(), "no summary: the whole curve");
    }
}
