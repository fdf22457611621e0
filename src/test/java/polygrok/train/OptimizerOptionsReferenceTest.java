package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static polygrok.train.GradFilterReferenceTest.doubles;
import static polygrok.train.GradFilterReferenceTest.tensor;

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
 * The optimizer options against an independent float64 PyTorch computation
 * (src/test/resources/optimizer/make_reference.py), a few steps on fixed gradients, the first of three
 * parameter tensors frozen: Adam with coupled decay (torch.optim.Adam's weight_decay), AdamW under a
 * 3-step LambdaLR warm-up (the first step has lr 0), ⊥Grad before AdamW (one tensor starting at zero,
 * so its first gradient is left as it is), and all three together. cpuref matches to 1e-12 (relative
 * to the largest parameter), the float32 cpu backend to 1e-5.
 */
class OptimizerOptionsReferenceTest {
    static final Path REFERENCE = Path.of("src/test/resources/optimizer/reference.json");

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"adam, cpuref, 1e-12", "warmup, cpuref, 1e-12", "orthogonal, cpuref, 1e-12", "combined, cpuref, 1e-12",
            "adam, cpu, 1e-5", "warmup, cpu, 1e-5", "orthogonal, cpu, 1e-5", "combined, cpu, 1e-5"})
    void optionsMatchPyTorch(String kind, String backendName, double tolerance) throws IOException {
        JsonObject all = JsonParser.parseString(Files.readString(REFERENCE)).getAsJsonObject();
        JsonObject ref = all.getAsJsonObject("cases").getAsJsonObject(kind);
        double[] init = doubles(ref.getAsJsonArray("init"));
        int p = init.length, frozen = all.get("frozen").getAsInt();
        JsonArray at = all.getAsJsonArray("offsets");
        int[] offsets = new int[at.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = at.get(i).getAsInt();
        }
        boolean orthogonal = ref.get("orthogonal").getAsBoolean();
        try (Backend be = backendName.equals("cpuref") ? new CpuRefBackend() : new CpuBackend()) {
            Tensor params = tensor(be, 1, p, init), grads = be.zeros(Shape.of(1, p)), m1 = be.zeros(Shape.of(1, p)), m2 = be.zeros(Shape.of(1, p));
            double[] mask = new double[p];
            java.util.Arrays.fill(mask, frozen, p, 1);
            AdamWSettings s = new AdamWSettings(tensor(be, 1, 1, new double[]{all.get("lr").getAsDouble()}),
                    tensor(be, 1, 1, new double[]{ref.get("weight_decay").getAsDouble()}), be.zeros(Shape.of(1, 1)),
                    tensor(be, 1, p, mask), all.getAsJsonArray("betas").get(0).getAsDouble(),
                    all.getAsJsonArray("betas").get(1).getAsDouble(), all.get("eps").getAsDouble(),
                    "adam".equals(ref.get("type").getAsString()), ref.get("warmup_steps").getAsInt());
            Tensor stretches = be.ints(Shape.of(1, offsets.length), offsets);
            JsonArray gradList = ref.getAsJsonArray("grads"), expected = ref.getAsJsonArray("params_after_each_step");
            double[] start = be.toDoubles(params); // as stored: float32 on cpu
            double worst = 0;
            for (int step = 0; step < gradList.size(); step++) {
                be.upload(grads, doubles(gradList.get(step).getAsJsonArray()));
                if (orthogonal) {
                    be.orthogonalGradient(params, grads, stretches, s.trainable());
                }
                be.adamwStep(params, grads, m1, m2, s);
                double[] got = be.toDoubles(params), want = doubles(expected.get(step).getAsJsonArray());
                double scale = java.util.Arrays.stream(want).map(Math::abs).max().orElse(1);
                for (int j = 0; j < p; j++) {
                    if (j < frozen) {
                        assertEquals(start[j], got[j], 0.0, kind + " on " + backendName + ": frozen param[" + j + "] moved");
                    } else {
                        worst = Math.max(worst, Math.abs(want[j] - got[j]) / scale);
                        assertEquals(want[j], got[j], tolerance * scale, kind + " (orthogonalGradient + adamwStep) on " + backendName
                                + ", step " + (step + 1) + ", param[" + j + "]: got " + got[j] + ", PyTorch " + want[j]);
                    }
                }
            }
            System.out.println("optimizer reference " + kind + " on " + backendName + ": max error / max |param| = " + worst);
        }
    }
}
