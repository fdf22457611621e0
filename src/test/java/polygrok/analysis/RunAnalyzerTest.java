package polygrok.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunAnalyzerTest {
    @TempDir
    Path tmp;

    @Test
    void analysisOfASyntheticRunFollowsTheEmbeddingIntoItsKeyFrequencies() {
        Path run = SyntheticRun.write(tmp.resolve("run"), "add", List.of("add"), 0, 1000);
        RunAnalysis a = new RunAnalyzer(0.5, null).analyzeAndWrite(run);
        assertEquals(5, a.checkpoints().size(), "checkpoints: init, 3 epochs, final");
        assertEquals(List.of(0, 500, 1000, 1500, 2000), a.checkpoints().stream().map(CheckpointMeasures::epoch).toList(),
                "checkpoint epochs in training order");
        CheckpointMeasures init = a.checkpoints().get(0);
        CheckpointMeasures last = a.checkpoints().get(4);
        assertTrue(init.ffd() > 0.5, "a random embedding uses most frequencies: FFD at init " + init.ffd());
        // at the end W_E is almost exactly two balanced key frequencies: FFD = 2/11, FCR near 2/11 too
        Close.scalar("FFD at the end", 2.0 / 11, last.ffd(), 1e-12);
        assertArrayEquals(SyntheticRun.KEY_FREQUENCIES, last.keyFrequencies(), "key frequencies at the end");
        assertTrue(last.gini() > init.gini(), "Gini rises as the spectrum sparsifies: " + init.gini() + " -> " + last.gini());
        assertEquals(5, a.primitiveRoot(), "smallest primitive root mod 23");
        assertNotNull(last.ffdDlog(), "p = 23 is prime: discrete-log measures present");
        assertNull(last.restrictedLoss(), "no GridLogitsSource: no loss ablation");
        assertEquals(SyntheticRun.P, a.pca().coordinates().length, "PCA has one point per number token");

        RunAnalysis back = RunAnalyzer.read(run.resolve(RunAnalyzer.FILE_NAME));
        assertEquals(a.checkpoints().get(2).ffd(), back.checkpoints().get(2).ffd(), "FFD survives the JSON round trip");
        assertArrayEquals(a.checkpoints().get(4).mu(), back.checkpoints().get(4).mu(), "mu survives the JSON round trip");
    }

    @Test
    void analysisJsonUsesSnakeCaseKeys() throws Exception {
        Path run = SyntheticRun.write(tmp.resolve("run"), "add", List.of("add"), 0, 1000);
        new RunAnalyzer(0.5, null).analyzeAndWrite(run);
        String json = Files.readString(run.resolve(RunAnalyzer.FILE_NAME));
        for (String key : new String[]{"\"ffd\"", "\"fcr\"", "\"ffd_wl\"", "\"fcr_wl\"", "\"key_frequencies\"", "\"gini\""}) {
            assertTrue(json.contains(key), "analysis.json lacks key " + key);
        }
    }

    @Test
    void gridLogitsHookFillsRestrictedAndExcludedLoss() {
        Path run = SyntheticRun.write(tmp.resolve("run"), "add", List.of("add"), 0, 1000);
        int p = SyntheticRun.P;
        int[] labels = new int[p * p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                labels[a * p + b] = (a + b) % p;
            }
        }
        // a perfect additive "model" built from the key frequencies: restricted loss stays low, excluded loss high
        GridLogitsSource source = new GridLogitsSource() {
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
                return labels;
            }
        };
        RunAnalysis a = new RunAnalyzer(0.5, source).analyze(run);
        CheckpointMeasures last = a.checkpoints().get(4);
        Close.scalar("restricted = full loss when the logits live on the key frequencies", last.fullLoss(), last.restrictedLoss(), 1e-9);
        assertTrue(last.excludedLoss() > last.fullLoss() + 1, "excluded loss " + last.excludedLoss() + " vs full " + last.fullLoss());
    }
}
