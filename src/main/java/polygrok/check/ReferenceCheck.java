package polygrok.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import polygrok.autograd.Loss;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.io.SafeTensor;
import polygrok.model.ForwardOptions;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.model.ParameterSpec;
import polygrok.tensor.DType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;
import polygrok.model.Batch;
import polygrok.model.ModelGroup;
import polygrok.model.OptimizerSettings;

/**
 * Runs a PyTorch reference file on a backend: loads its weights and batch, runs forward and
 * backward, then three AdamW steps on the same batch, and compares logits, loss, every gradient,
 * the recorded activations and the weights after steps 1 and 3. A float64 backend is held to the
 * file's float64 tensors, a float32 backend to its float32 ones.
 */
public final class ReferenceCheck {
    /** float64 against PyTorch float64: only summation order differs. */
    public static final double F64_TOLERANCE = 1e-10;
    /** float32 against PyTorch float32 (the reference README's figure). */
    public static final double F32_TOLERANCE = 1e-4;
    /**
     * Activations are stored in float32 only, so a float64 backend meets them to float32 rounding
     * (seen: ~3e-7 relative), not to 1e-10.
     */
    public static final double ACTIVATION_F64_TOLERANCE = 1e-5;

    private ReferenceCheck() {
    }

    public static ModelSpec spec(ReferenceConfig c) {
        return new ModelSpec("mlp".equals(c.model()) ? ModelSpec.ModelType.MLP : ModelSpec.ModelType.TRANSFORMER,
                c.dVocab(), c.nCtx(), c.dModel(), c.numLayers(), c.numHeads(), c.dMlp(), c.dEmb(),
                Activation.parse(c.actType()), false, false, c.weightScale());
    }

    public static CheckReport run(ReferenceFile ref, Backend be) {
        boolean f64 = be.dtype() == DType.F64;
        double tol = f64 ? F64_TOLERANCE : F32_TOLERANCE;
        String prefix = f64 ? "f64." : "";
        ModelSpec spec = spec(ref.config());
        Model model = Model.of(spec);
        var o = ref.optimizer();
        ModelGroup group = new ModelGroup(be, model,
                List.of(new OptimizerSettings(o.lr(), o.weightDecay(), o.beta1(), o.beta2(), o.eps(), 2, 0)), Set.of());
        Map<String, SafeTensor> params = ref.params();
        for (ParameterSpec s : model.layout().specs()) {
            SafeTensor t = params.get(s.name());
            if (t == null) {
                throw new IllegalArgumentException(ref.path() + " has no param." + s.name() + " for the model it describes");
            }
            be.upload(group.params().view(s.name()), t.values());
        }
        int[][] tokens = ref.tokens();
        int[] labels = ref.labels();
        int b = labels.length, t = tokens[0].length;
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(tokens[i], 0, flat, i * t, t);
        }
        Tensor weights = be.zeros(Shape.of(1, b));
        double[] w = new double[b];
        java.util.Arrays.fill(w, 1.0 / b);
        be.upload(weights, w);
        Batch batch = new Batch(be.ints(Shape.of(1, b, t), flat), be.ints(Shape.of(1, b), labels), weights);

        CheckReport report = new CheckReport();
        Map<String, Tensor> acts = new HashMap<>();
        boolean transformer = spec.type() == ModelSpec.ModelType.TRANSFORMER;
        Loss loss = group.forwardBackward(batch, new ForwardOptions(false, transformer ? acts : null));
        report.add(CheckRow.compare("loss", be.toDoubles(loss.loss()), new double[]{f64 ? ref.f64Loss() : ref.loss()}, tol));
        Tensor fastLogits = group.logits(batch.tokens(), ForwardOptions.FAST);
        report.add(CheckRow.compare("logits (last position only)", be.toDoubles(fastLogits),
                (f64 ? ref.f64Logits() : ref.logits()).values(), tol));
        Map<String, SafeTensor> grads = f64 ? ref.f64Grads() : ref.grads();
        for (ParameterSpec s : model.layout().specs()) {
            report.add(CheckRow.compare(prefix + "grad." + s.name(), be.toDoubles(group.grads().view(s.name())),
                    grads.get(s.name()).values(), tol));
        }
        for (var e : ref.activations().entrySet()) {
            Tensor mine = acts.get("act." + e.getKey());
            if (mine != null) {
                report.add(CheckRow.compare("act." + e.getKey(), be.toDoubles(mine), e.getValue().values(),
                        f64 ? ACTIVATION_F64_TOLERANCE : F32_TOLERANCE));
            }
        }
        group.optimizerStep();
        compareParams(report, be, group, model, f64 ? ref.f64AdamwStep1() : ref.adamwStep1(), prefix + "adamw.step1.", tol);
        group.trainStep(batch);
        group.trainStep(batch);
        compareParams(report, be, group, model, f64 ? ref.f64AdamwStep3() : ref.adamwStep3(), prefix + "adamw.step3.", tol);
        return report;
    }

    private static void compareParams(CheckReport report, Backend be, ModelGroup group, Model model,
                                      Map<String, SafeTensor> expected, String label, double tol) {
        for (ParameterSpec s : model.layout().specs()) {
            report.add(CheckRow.compare(label + s.name(), be.toDoubles(group.params().view(s.name())),
                    expected.get(s.name()).values(), tol));
        }
    }
}
