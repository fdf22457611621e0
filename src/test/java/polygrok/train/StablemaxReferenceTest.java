package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import polygrok.backend.AdamWSettings;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * StableMax, the float32 losses and softmax collapse against an independent PyTorch computation
 * (src/test/resources/stablemax/make_reference.py): per-example loss, probability, mean loss and
 * its gradient on fixed logits; three AdamW steps of a logit table on the mean StableMax loss;
 * which rows collapse in float32. Tolerances are relative to the largest value compared.
 */
class StablemaxReferenceTest {
    static final Path REFERENCE = Path.of("src/test/resources/stablemax/reference.json");

    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource({
        // float64 StableMax: cpuref to float64 rounding; cpu stores float32
        "stablemax, float64, cpuref, 1e-12", "stablemax, float64, cpu, 1e-6",
        // float32 arithmetic: torch's exp/log/division order differs from ours by a few float32 roundings
        "stablemax, float32, cpuref, 1e-6", "stablemax, float32, cpu, 1e-6",
        "cross_entropy, float32, cpuref, 1e-6", "cross_entropy, float32, cpu, 1e-6"})
    void lossAndGradientMatchPyTorch(String loss, String precision, String backendName, double tolerance) throws IOException {
        JsonObject all = read();
        boolean stablemax = loss.equals("stablemax"), f32 = precision.equals("float32");
        JsonObject ref = all.getAsJsonObject((stablemax ? "stablemax" : "cross_entropy") + (f32 ? "_f32" : "_f64"));
        LossMode mode = new LossMode(stablemax, f32);
        int b = all.get("batch").getAsInt(), v = all.get("vocab").getAsInt();
        try (Backend be = open(backendName)) {
            Tensor z = tensor(be, Shape.of(1, b, v), flat(all.getAsJsonArray("logits")));
            Tensor y = be.ints(Shape.of(1, b), ints(all.getAsJsonArray("labels")));
            double[] w = new double[b];
            java.util.Arrays.fill(w, 1.0 / b);
            Tensor weights = tensor(be, Shape.of(1, b), w);
            Tensor perExample = be.zeros(Shape.of(1, b, 3)), total = be.zeros(Shape.of(1, 1)), grad = be.zeros(Shape.of(1, b, v));
            be.crossEntropyForward(z, y, weights, mode, perExample, total);
            be.crossEntropyBackward(z, y, weights, mode, grad);
            double[] pe = be.toDoubles(perExample);
            String what = mode + " on " + backendName;
            double[] wantLoss = doubles(ref.getAsJsonArray("per_example_loss")), wantProb = doubles(ref.getAsJsonArray("prob"));
            for (int e = 0; e < b; e++) {
                near(wantLoss[e], pe[3 * e], tolerance, what + ": loss of example " + e);
                near(wantProb[e], pe[3 * e + 1], tolerance, what + ": probability of example " + e);
            }
            near(ref.get("loss").getAsDouble(), be.toDoubles(total)[0], tolerance, what + ": mean loss");
            double[] want = flat(ref.getAsJsonArray("grad")), got = be.toDoubles(grad);
            double scale = java.util.Arrays.stream(want).map(Math::abs).max().orElse(1);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], tolerance * scale, what + ": dLoss/dlogit[" + i / v + ", " + i % v + "]: got " + got[i]
                        + ", PyTorch " + want[i]);
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @CsvSource({"cpuref, 1e-10", "cpu, 1e-5"})
    void adamwOnStablemaxMatchesPyTorch(String backendName, double tolerance) throws IOException {
        JsonObject all = read(), opt = all.getAsJsonObject("adamw");
        int b = all.get("batch").getAsInt(), v = all.get("vocab").getAsInt(), p = b * v;
        LossMode mode = new LossMode(true, false);
        try (Backend be = open(backendName)) {
            // the model's parameters are its logits: [1, P] for AdamW, viewed as [1, B, V] for the loss
            Tensor params = tensor(be, Shape.of(1, p), flat(all.getAsJsonArray("logits")));
            Tensor grads = be.zeros(Shape.of(1, p)), m1 = be.zeros(Shape.of(1, p)), m2 = be.zeros(Shape.of(1, p));
            double[] mask = new double[p];
            java.util.Arrays.fill(mask, 1);
            AdamWSettings s = new AdamWSettings(tensor(be, Shape.of(1, 1), new double[]{opt.get("lr").getAsDouble()}),
                    tensor(be, Shape.of(1, 1), new double[]{opt.get("weight_decay").getAsDouble()}), be.zeros(Shape.of(1, 1)),
                    tensor(be, Shape.of(1, p), mask), opt.getAsJsonArray("betas").get(0).getAsDouble(),
                    opt.getAsJsonArray("betas").get(1).getAsDouble(), opt.get("eps").getAsDouble());
            Tensor y = be.ints(Shape.of(1, b), ints(all.getAsJsonArray("labels")));
            double[] w = new double[b];
            java.util.Arrays.fill(w, 1.0 / b);
            Tensor weights = tensor(be, Shape.of(1, b), w);
            Tensor perExample = be.zeros(Shape.of(1, b, 3)), total = be.zeros(Shape.of(1, 1));
            JsonArray expected = opt.getAsJsonArray("params_after_each_step");
            for (int step = 0; step < expected.size(); step++) {
                be.fill(grads, 0);
                Tensor z = params.reshape(Shape.of(1, b, v));
                be.crossEntropyForward(z, y, weights, mode, perExample, total);
                be.crossEntropyBackward(z, y, weights, mode, grads.reshape(Shape.of(1, b, v)));
                be.adamwStep(params, grads, m1, m2, s);
                double[] got = be.toDoubles(params), want = doubles(expected.get(step).getAsJsonArray());
                double scale = java.util.Arrays.stream(want).map(Math::abs).max().orElse(1);
                for (int j = 0; j < p; j++) {
                    assertEquals(want[j], got[j], tolerance * scale, "StableMax + adamwStep on " + backendName + ", step " + (step + 1)
                            + ", param[" + j + "]: got " + got[j] + ", PyTorch " + want[j]);
                }
            }
        }
    }

    @Test
    void softmaxCollapseCountsTheRowsPyTorchCounts() throws IOException {
        JsonObject c = read().getAsJsonObject("collapse");
        JsonArray rows = c.getAsJsonArray("logits"), want = c.getAsJsonArray("collapsed");
        int v = rows.get(0).getAsJsonArray().size();
        double[] logits = flat(rows);
        int collapsed = 0;
        for (int r = 0; r < rows.size(); r++) {
            boolean got = SoftmaxCollapse.collapsed(logits, r * v, v);
            assertEquals(want.get(r).getAsBoolean(), got, "softmax collapse of row " + r);
            collapsed += got ? 1 : 0;
        }
        assertEquals(c.get("fraction").getAsDouble(), collapsed / (double) rows.size(), 0.0, "fraction collapsed");
    }

    private static JsonObject read() throws IOException {
        return JsonParser.parseString(Files.readString(REFERENCE)).getAsJsonObject();
    }

    private static Backend open(String name) {
        return name.equals("cpuref") ? new CpuRefBackend() : new CpuBackend();
    }

    private static void near(double want, double got, double tolerance, String what) {
        assertEquals(want, got, tolerance * Math.max(1, Math.abs(want)), what + ": got " + got + ", PyTorch " + want);
    }

    static Tensor tensor(Backend be, Shape shape, double[] values) {
        Tensor t = be.zeros(shape);
        be.upload(t, values);
        return t;
    }

    static double[] flat(JsonArray rows) {
        return rows.asList().stream().flatMap(r -> r.getAsJsonArray().asList().stream()).mapToDouble(e -> e.getAsDouble()).toArray();
    }

    static int[] ints(JsonArray a) {
        return a.asList().stream().mapToInt(e -> e.getAsInt()).toArray();
    }

    static double[] doubles(JsonArray a) {
        return a.asList().stream().mapToDouble(e -> e.getAsDouble()).toArray();
    }
}
