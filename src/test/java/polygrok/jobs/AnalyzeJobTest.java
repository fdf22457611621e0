package polygrok.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.analysis.Checkpoint;
import polygrok.analysis.GridLogits;
import polygrok.analysis.GridLogitsSource;
import polygrok.analysis.RunAnalyzer;
import polygrok.analysis.SyntheticRun;

/** The source of restricted/excluded loss comes in through the constructor; .pth runs are imported first. */
class AnalyzeJobTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream report = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private String printed() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Logits that live on the run's key frequencies, as a perfectly Fourier model of a + b would give. */
    private static GridLogitsSource additive() {
        int p = SyntheticRun.P;
        int[] labels = new int[p * p];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i / p + i % p) % p;
        }
        return new GridLogitsSource() {
            @Override
            public GridLogits at(Checkpoint checkpoint) {
                return pairs -> {
                    double[][] out = new double[pairs.length][p];
                    for (int i = 0; i < pairs.length; i++) {
                        for (int c = 0; c < p; c++) {
                            for (int k : SyntheticRun.KEY_FREQUENCIES) {
                                out[i][c] += 4 * Math.cos(2 * Math.PI * k * (pairs[i][0] + pairs[i][1] - c) / p);
                            }
                        }
                    }
                    return out;
                };
            }

            @Override
            public int[] labels() {
                return labels.clone();
            }
        };
    }

    @Test
    void theInjectedSourceGivesTheLossAblation(@TempDir Path tmp) throws IOException {
        Path run = SyntheticRun.write(tmp.resolve("run"), "add", List.of("add"), 0, 1000);
        List<Path> asked = new ArrayList<>();
        Path analysed = new AnalyzeJob(0.5, dir -> {
            asked.add(dir);
            return additive();
        }, report).analyze(run, null);
        assertEquals(run, analysed, "polygrok's own run is analysed where it is");
        assertEquals(List.of(run), asked, "the factory is asked once, for the run analysed");
        assertTrue(Files.exists(run.resolve(RunAnalyzer.FILE_NAME)));
        assertTrue(printed().contains(run + ": " + (SyntheticRun.CHECKPOINT_EPOCHS.length + 2) + " checkpoints; FFD "), printed());
        assertTrue(printed().contains("restricted to the key frequencies"), printed());
    }

    @Test
    void withoutASourceTheAblationIsSkipped(@TempDir Path tmp) {
        Path run = SyntheticRun.write(tmp.resolve("run"), "add", List.of("add"), 0, 1000);
        new AnalyzeJob(0.5, null, report).analyze(run, null);
        new AnalyzeJob(0.5, dir -> null, report).analyze(run, null);
        assertFalse(printed().contains("restricted"), printed());
        assertEquals(2, printed().lines().count(), printed());
    }

    @Test
    void aRunOfTheOriginalScriptNeedsItsOperationAndIsImported(@TempDir Path tmp) throws IOException {
        Path orig = Files.createDirectories(tmp.resolve("add_run"));
        for (String f : List.of("init.pth", "0.pth", "3.pth")) {
            Files.copy(Path.of("src/test/resources/pth").resolve(f), orig.resolve(f));
        }
        AnalyzeJob job = new AnalyzeJob(0.5, null, report);
        IllegalArgumentException noOp = assertThrows(IllegalArgumentException.class, () -> job.analyze(orig, null));
        assertTrue(noOp.getMessage().contains("--op"), noOp.getMessage());
        Path analysed = job.analyze(orig, "add");
        assertEquals(orig.resolve("polygrok"), analysed);
        assertTrue(printed().startsWith(orig + ": imported the original run's checkpoints into " + analysed), printed());
        assertTrue(Files.exists(analysed.resolve(RunAnalyzer.FILE_NAME)));
    }
}
