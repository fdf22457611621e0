package polygrok.check;

import java.util.List;
import java.util.Random;
import java.util.Set;
import polygrok.autograd.Loss;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.model.ForwardOptions;
import polygrok.model.Initializer;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.model.ModelSpec.ModelType;
import polygrok.model.ParameterSpec;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;
import polygrok.model.Batch;
import polygrok.model.ModelGroup;
import polygrok.model.OptimizerSettings;

/**
 * Finite-difference checks of whole models on cpuref at tiny sizes: the gradient of the summed
 * cross-entropy of M = 2 models with respect to every parameter element, through the full forward
 * and through the last-position-only forward.
 */
public final class ModelGradientChecks {
    public static final double TOLERANCE = 1e-6;

    /**
     * The tiny models checked: 1 and 2 layers, ReLU and GELU, LayerNorm with and without positions, the MLP
     * model; the interventions' options: biases (without positions, where the first block would otherwise
     * run from token tables), every transformer option at once, and the one-hot MLP.
     */
    public static List<ModelSpec> specs() {
        int v = 9, t = 3;
        return List.of(
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 1, 2, 12, 0, Activation.RELU, false, false, 1),
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 2, 2, 12, 0, Activation.GELU, false, false, 1),
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 2, 4, 12, 0, Activation.RELU, true, true, 1),
                // LayerNorm without positions: block 0 runs from per-vocabulary tables through the LayerNorm
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 1, 2, 12, 0, Activation.GELU, true, false, 1),
                new ModelSpec(ModelType.MLP, v, t, 10, 2, 1, 1, 6, Activation.RELU, false, false, 1),
                new ModelSpec(ModelType.MLP, v, 5, 10, 1, 1, 1, 6, Activation.GELU, false, false, 1.5),
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 1, 2, 12, 0, Activation.RELU, false, false, 1, true, false, false, false),
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 2, 2, 12, 0, Activation.GELU, true, true, 1, true, true, true, false),
                new ModelSpec(ModelType.TRANSFORMER, v, t, 8, 1, 2, 12, 0, Activation.RELU, true, false, 1, false, true, false, false),
                new ModelSpec(ModelType.MLP, v, 2, 10, 1, 1, 1, 1, Activation.RELU, false, false, 1, false, false, false, true),
                new ModelSpec(ModelType.MLP, v, t, 10, 0, 1, 1, 1, Activation.GELU, false, false, 1.5, false, false, false, true));
    }

    public static CheckReport run(long seed) {
        CheckReport report = new CheckReport();
        for (ModelSpec spec : specs()) {
            // the MLP model has no last-position shortcut: one pass is enough
            List<ForwardOptions> passes = spec.type() == ModelType.MLP
                    ? List.of(ForwardOptions.ALL_POSITIONS) : List.of(ForwardOptions.ALL_POSITIONS, ForwardOptions.FAST);
            for (ForwardOptions options : passes) {
                report.addAll(check(spec, options, seed));
            }
        }
        return report;
    }

    static String describe(ModelSpec s) {
        return s.type() == ModelType.MLP
                ? "mlp " + (s.oneHotInput() ? "one_hot " : "") + s.numLayers() + "L " + s.act()
                : "transformer " + s.numLayers() + "L " + s.act() + (s.layerNorm() ? " +ln" : "") + (s.positional() ? " +pos" : "")
                + (s.bias() ? " +bias" : "") + (s.finalLayerNorm() ? " +ln_final" : "") + (s.normalisedResidual() ? " +normalised" : "");
    }

    public static CheckReport check(ModelSpec spec, ForwardOptions options, long seed) {
        Backend be = Backends.create("cpuref", line -> { });
        int models = 2, batch = 5;
        Model model = Model.of(spec);
        ModelGroup group = new ModelGroup(be, model,
                List.of(OptimizerSettings.paper(), OptimizerSettings.paper()), Set.of());
        be.upload(group.params().block(), Initializer.initialValues(model.layout(), new long[]{seed, seed + 1}));
        Batch data = randomBatch(be, spec, models, batch, seed);

        group.forwardBackward(data, options);
        double[] analytic = be.toDoubles(group.grads().block());
        double[] numeric = FiniteDifferences.gradient(be, group.params().block(), unused -> {
            Loss loss = group.evaluate(data);
            double[] l = be.toDoubles(loss.loss());
            return l[0] + l[1];
        });
        CheckReport report = new CheckReport();
        long p = model.layout().total();
        String prefix = describe(spec) + (options.lastPositionOnly() ? " [last position] " : " ");
        for (ParameterSpec ps : model.layout().specs()) {
            double[] a = new double[(int) (models * ps.size())], n = new double[a.length];
            for (int m = 0; m < models; m++) {
                System.arraycopy(analytic, (int) (m * p + ps.offset()), a, (int) (m * ps.size()), (int) ps.size());
                System.arraycopy(numeric, (int) (m * p + ps.offset()), n, (int) (m * ps.size()), (int) ps.size());
            }
            report.add(ps.name().endsWith("attn.b_K") ? zeroGradient(prefix + ps.name(), a, n) : CheckRow.compare(prefix + ps.name(), a, n, TOLERANCE));
        }
        return report;
    }

    /**
     * A key bias adds q . b_K to every score of a query alike, which the softmax ignores: its gradient is
     * exactly zero, and both differences are rounding noise (about 1e-17 and 1e-11), which no relative
     * comparison of the two can judge. Each is held to zero instead, to the tolerance in absolute terms
     * (the other gradients of these models are about 1e-2): the worse of the two rows.
     */
    private static CheckRow zeroGradient(String name, double[] analytic, double[] numeric) {
        CheckRow a = CheckRow.compare(name + " (zero)", analytic, new double[analytic.length], TOLERANCE);
        CheckRow n = CheckRow.compare(name + " (zero)", numeric, new double[numeric.length], TOLERANCE);
        return Double.isNaN(n.relError()) || n.relError() > a.relError() ? n : a;
    }

    /**
     * A batch of uniformly random tokens and labels for {@code models} models, each example weighted
     * 1 / batch (a plain mean): the input of whole-model checks.
     */
    public static Batch randomBatch(Backend be, ModelSpec spec, int models, int batch, long seed) {
        Random rng = new Random(seed);
        int[] tokens = new int[models * batch * spec.nCtx()];
        int[] labels = new int[models * batch];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(spec.vocab());
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(spec.vocab());
        }
        Tensor weights = be.zeros(Shape.of(models, batch));
        double[] w = new double[models * batch];
        java.util.Arrays.fill(w, 1.0 / batch);
        be.upload(weights, w);
        return new Batch(be.ints(Shape.of(models, batch, spec.nCtx()), tokens), be.ints(Shape.of(models, batch), labels), weights);
    }
}
