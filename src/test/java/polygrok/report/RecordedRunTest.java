package polygrok.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run kept in a results record (config.json and curve.csv, as bench/record_runs.py writes them) reports like its run directory. */
class RecordedRunTest {
    @Test
    void aRecordedRunIsFoundAndItsCurveReadAsMetrics(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("sweep/point/seed_0");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{\"name\": \"point\", \"ops\": [\"add\", \"subtract\"], \"epochs\": 20}");
        Files.writeString(run.resolve("curve.csv"), "epoch,train_loss,train_acc,test_loss,test_acc,step,wall_s,softmax_collapse,test_acc:add,test_acc:subtract\n"
                + "0,4.6,0.01,4.6,0.02,0,0.5,0.0,0.03,0.01\n10,1.0,0.9,3.0,0.4,10,1.5,,0.6,0.2\n");
        Path notARun = tmp.resolve("sweep/stray");
        Files.createDirectories(notARun);
        Files.writeString(notARun.resolve("curve.csv"), "epoch,test_acc\n0,0.1\n"); // no config.json: not a run
        assertEquals(List.of(run), ReportBuilder.expand(List.of(tmp.resolve("sweep"))));
        RunData data = RunData.load(run);
        assertArrayEquals(new double[] {0, 10}, data.series("epoch"));
        assertArrayEquals(new double[] {0.02, 0.4}, data.series("test_acc"));
        assertEquals(10, data.metrics().get(1).get("step").getAsLong());
        assertFalse(data.metrics().get(1).has("softmax_collapse"), "an empty cell is a value the run did not log");
        assertEquals(0.6, data.metrics().get(1).getAsJsonObject("tasks").getAsJsonObject("add").get("test_acc").getAsDouble());
        assertThrows(IllegalArgumentException.class, () -> RunData.load(notARun));
    }
}
