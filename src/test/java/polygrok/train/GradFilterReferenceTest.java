package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import polygrok.backend.AdamWSettings;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Grokfast's filters followed by AdamW against an independent float64 PyTorch computation
 * (src/test/resources/gradfilter/make_reference.py): three steps on fixed gradients, EMA and moving
 * average, two entries frozen. cpuref matches to 1e-10 (relative to the largest parameter); the
 * float32 cpu backend to 1e-5.
 */
class GradFilterReferenceTest {
    static final Path REFERENCE = Path.of("src/test/resources/gradfilter/reference.json");

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"ema, cpuref, 1e-10", "ma, cpuref, 1e-10", "ema, cpu, 1e-5", "ma, cpu, 1e-5"})
    void filterThenAdamWMatchesPyTorch(String kind, String backendName, double tolerance) throws IOException {
        JsonObject all = JsonParser.parseString(Files.readString(REFERENCE)).getAsJsonObject();
        JsonObject ref = all.getAsJsonObject(kind), opt = all.getAsJsonObject("optimizer");
        double[] init = doubles(ref.getAsJsonArray("init"));
        int p = init.length, frozen = ref.get("frozen").getAsInt();
        int window = kind.equals("ema") ? 0 : ref.get("window").getAsInt();
        try (Backend be = backendName.equals("cpuref") ? new CpuRefBackend() : new CpuBackend()) {
            Tensor params = tensor(be, 1, p, init), grads = be.zeros(Shape.of(1, p)), m1 = be.zeros(Shape.of(1, p)), m2 = be.zeros(Shape.of(1, p));
            double[] mask = new double[p];
            java.util.Arrays.fill(mask, frozen, p, 1);
            AdamWSettings s = new AdamWSettings(tensor(be, 1, 1, new double[]{opt.get("lr").getAsDouble()}),
                    tensor(be, 1, 1, new double[]{opt.get("weight_decay").getAsDouble()}), be.zeros(Shape.of(1, 1)),
                    tensor(be, 1, p, mask), opt.getAsJsonArray("betas").get(0).getAsDouble(),
                    opt.getAsJsonArray("betas").get(1).getAsDouble(), opt.get("eps").getAsDouble());
            Tensor state = be.zeros(Shape.of(1, (long) Math.max(1, window) * p)), count = be.zeros(Shape.of(1, 1));
            JsonArray gradList = ref.getAsJsonArray("grads"), expected = ref.getAsJsonArray("params_after_each_step");
            double[] start = be.toDoubles(params); // as stored: float32 on cpu
            for (int step = 0; step < gradList.size(); step++) {
                be.upload(grads, doubles(gradList.get(step).getAsJsonArray()));
                be.gradFilter(grads, state, count, s.trainable(), ref.get("alpha").getAsDouble(), ref.get("lambda").getAsDouble(), window);
                be.adamwStep(params, grads, m1, m2, s);
                double[] got = be.toDoubles(params), want = doubles(expected.get(step).getAsJsonArray());
                double scale = java.util.Arrays.stream(want).map(Math::abs).max().orElse(1);
                for (int j = 0; j < p; j++) {
                    if (j < frozen) {
                        assertEquals(start[j], got[j], 0.0, "gradFilter " + kind + " on " + backendName + ": frozen param[" + j + "] moved");
                    } else {
                        assertEquals(want[j], got[j], tolerance * scale, "gradFilter " + kind + " + adamwStep on " + backendName
                                + ", step " + (step + 1) + ", param[" + j + "]: got " + got[j] + ", PyTorch " + want[j]);
                    }
                }
            }
            assertEquals(gradList.size(), be.toDoubles(count)[0], 0.0, "the filter counts its calls");
        }
    }

    static Tensor tensor(Backend be, int rows, int cols, double[] values) {
        Tensor t = be.zeros(Shape.of(rows, cols));
        be.upload(t, values);
        return t;
    }

    static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }
}
