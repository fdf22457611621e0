package polygrok.analysis;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import polygrok.check.ReferenceFiles;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The measures on real PyTorch weights (the initial parameters of two reference files) against
 * numpy (make_reference_expected.py): the paper's model at p = 97, a 1-layer ReLU model at p = 13 and a
 * 2-layer GELU model at p = 11.
 */
class ReferenceCheckpointTest {
    private static final double TOL = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"seed_add_p97", "tiny_add", "tiny_gelu_2layer"})
    void measuresOfReferenceWeightsMatchNumpy(String name) throws Exception {
        Path file = ReferenceFiles.named(name);
        JsonObject expected;
        try (var in = getClass().getResourceAsStream("/analysis/reference_expected.json")) {
            expected = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonObject(name);
        }
        SafetensorsFile contents = Safetensors.read(file);
        Map<String, NamedTensor> params = new HashMap<>();
        for (SafeTensor t : contents.tensors().values()) {
            if (t.name().startsWith("param.")) {
                String n = t.name().substring("param.".length());
                params.put(n, new NamedTensor(n, t.shape(), t.values()));
            }
        }
        Checkpoint c = new Checkpoint(file, "init", 0, 0, contents.metadataValue("config"), params);
        int p = expected.get("p").getAsInt();
        CheckpointMeasures m = CheckpointMeasures.of(c, ModelWeights.of(c, p), 0.5, null);
        Close.vector(name + " mu", NumpyExpected.vector(expected.get("mu")), m.mu(), TOL);
        Close.vector(name + " nu", NumpyExpected.vector(expected.get("nu")), m.nu(), TOL);
        Close.scalar(name + " FFD", expected.get("ffd").getAsDouble(), m.ffd(), TOL);
        Close.scalar(name + " FCR", expected.get("fcr").getAsDouble(), m.fcr(), TOL);
        Close.scalar(name + " FFD of W_L", expected.get("ffd_wl").getAsDouble(), m.ffdWl(), TOL);
        Close.scalar(name + " FCR of W_L", expected.get("fcr_wl").getAsDouble(), m.fcrWl(), TOL);
        Close.scalar(name + " Gini", expected.get("gini").getAsDouble(), m.gini(), TOL);
        Close.scalar(name + " FFD (discrete log)", expected.get("ffd_dlog").getAsDouble(), m.ffdDlog(), TOL);
        Close.scalar(name + " FCR (discrete log)", expected.get("fcr_dlog").getAsDouble(), m.fcrDlog(), TOL);
        Close.scalar(name + " Gini (discrete log)", expected.get("gini_dlog").getAsDouble(), m.giniDlog(), TOL);
    }
}
