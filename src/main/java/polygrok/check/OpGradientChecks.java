package polygrok.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import polygrok.autograd.Ops;
import polygrok.autograd.Tape;
import polygrok.autograd.Var;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.backend.WeightLayout;
import polygrok.backend.select.Backends;
import polygrok.model.VocabularyRows;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Finite-difference checks of every differentiable op on cpuref at tiny sizes, with M = 2 models
 * so the model axis is exercised. Each op output is reduced to the scalar L = sum(out * R) for a
 * fixed random R; the analytic gradient comes from the tape's backward seeded with R.
 */
public final class OpGradientChecks {
    public static final double TOLERANCE = 1e-6;

    private final Backend be = Backends.create("cpuref", line -> { });
    private final Random rng;

    public OpGradientChecks(long seed) {
        this.rng = new Random(seed);
    }

    /** An op under test: builds its output from input Vars on a tape. */
    private record Case(String name, List<Shape> inputs, BiFunction<Ops, List<Var>, Var> op) {
    }

    private static final int M = 2, B = 3, T = 3, D = 8, H = 2, DH = 4, F = 6, V = 7;

    private List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        Shape x4 = Shape.of(M, B, T, D), wqkv = Shape.of(M, H, DH, D), wo = Shape.of(M, D, H * DH);
        for (boolean last : new boolean[]{false, true}) {
            cs.add(new Case("attention" + (last ? " (last position)" : ""), List.of(x4, wqkv, wqkv, wqkv, wo),
                    (o, in) -> o.attention(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), last)));
        }
        Shape qkvAll = Shape.of(M, B, T, H * DH), qLast = Shape.of(M, B, 1, H * DH);
        for (boolean last : new boolean[]{false, true}) {
            cs.add(new Case("attention core" + (last ? " (last position)" : ""),
                    List.of(last ? qLast : qkvAll, qkvAll, qkvAll, wo),
                    (o, in) -> o.attentionCore(in.get(0), in.get(1), in.get(2), in.get(3), H, last, null)));
        }
        cs.add(new Case("vocabulary embeddings", List.of(Shape.of(M, D, V)), (o, in) -> VocabularyRows.of(o, in.get(0))));
        for (Activation act : Activation.values()) {
            cs.add(new Case("mlp " + act, List.of(Shape.of(M, B, 2, D), Shape.of(M, F, D), Shape.of(M, D, F)),
                    (o, in) -> o.mlp(in.get(0), in.get(1), in.get(2), act)));
            cs.add(new Case("activation " + act, List.of(Shape.of(M, B, F)), (o, in) -> o.activation(in.get(0), act)));
        }
        cs.add(new Case("linear OUT_IN", List.of(Shape.of(M, B, D), Shape.of(M, F, D)),
                (o, in) -> o.linear(in.get(0), in.get(1), WeightLayout.OUT_IN)));
        cs.add(new Case("linear IN_OUT", List.of(Shape.of(M, B, T, D), Shape.of(M, D, V)),
                (o, in) -> o.linear(in.get(0), in.get(1), WeightLayout.IN_OUT)));
        cs.add(new Case("layer norm", List.of(Shape.of(M, B, D), Shape.of(M, D), Shape.of(M, D)),
                (o, in) -> o.layerNorm(in.get(0), in.get(1), in.get(2))));
        cs.add(new Case("add", List.of(x4, x4), (o, in) -> o.add(in.get(0), in.get(1))));
        cs.add(new Case("last position", List.of(x4), (o, in) -> o.lastPosition(in.get(0))));
        cs.add(new Case("sum positions", List.of(x4), (o, in) -> o.sumPositions(in.get(0))));
        cs.add(new Case("positional", List.of(x4, Shape.of(M, T, D)), (o, in) -> o.positional(in.get(0), in.get(1))));
        cs.add(new Case("reshape", List.of(Shape.of(M, B, 1, D)), (o, in) -> o.reshape(in.get(0), Shape.of(M, B, D))));
        return cs;
    }

    /** Runs every op check (plus embedding, cross-entropy and the Lp penalty) and reports one row per input. */
    public CheckReport run() {
        CheckReport report = new CheckReport();
        for (Case c : cases()) {
            report.addAll(check(c));
        }
        report.addAll(checkEmbedding());
        report.addAll(checkCrossEntropy());
        report.addAll(checkLpPenalty());
        return report;
    }

    private CheckReport check(Case c) {
        List<Var> inputs = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (Shape s : c.inputs()) {
            Tensor value = FiniteDifferences.randomTensor(be, rng, s, 1.0);
            Tensor grad = be.zeros(s);
            grads.add(grad);
            inputs.add(Var.parameter(value, grad));
        }
        Tape tape = new Tape(be, true);
        Var out = c.op().apply(new Ops(tape), inputs);
        Tensor seed = FiniteDifferences.randomTensor(be, rng, out.shape(), 1.0);
        double[] r = be.toDoubles(seed);
        tape.backward(out, seed);
        CheckReport report = new CheckReport();
        for (int i = 0; i < inputs.size(); i++) {
            double[] numeric = FiniteDifferences.gradient(be, inputs.get(i).value(), unused -> {
                Tape t = new Tape(be, false);
                return FiniteDifferences.dot(be.toDoubles(c.op().apply(new Ops(t), inputs).value()), r);
            });
            report.add(CheckRow.compare(c.name() + " d/input" + i, be.toDoubles(grads.get(i)), numeric, TOLERANCE));
        }
        return report;
    }

    private CheckReport checkEmbedding() {
        CheckReport report = new CheckReport();
        report.add(checkGather("embed d/W_E", (ops, w, tokens) -> ops.embed(w, tokens)));
        report.add(checkGather("embedSum d/table", (ops, w, tokens) -> ops.embedSum(w, tokens)));
        return report;
    }

    /** An op of a table [M, D, V] and tokens [M, B, T]. */
    private interface Gather {
        Var apply(Ops ops, Var table, Tensor tokens);
    }

    private CheckRow checkGather(String name, Gather op) {
        Tensor wE = FiniteDifferences.randomTensor(be, rng, Shape.of(M, D, V), 1.0), gE = be.zeros(wE.shape());
        int[] tok = new int[M * B * T];
        for (int i = 0; i < tok.length; i++) {
            tok[i] = rng.nextInt(V);
        }
        tok[0] = tok[1]; // a repeated token exercises the scatter-add
        Tensor tokens = be.ints(Shape.of(M, B, T), tok);
        Var w = Var.parameter(wE, gE);
        Tape tape = new Tape(be, true);
        Var out = op.apply(new Ops(tape), w, tokens);
        Tensor seed = FiniteDifferences.randomTensor(be, rng, out.shape(), 1.0);
        double[] r = be.toDoubles(seed);
        tape.backward(out, seed);
        double[] numeric = FiniteDifferences.gradient(be, wE,
                unused -> FiniteDifferences.dot(be.toDoubles(op.apply(new Ops(new Tape(be, false)), w, tokens).value()), r));
        return CheckRow.compare(name, be.toDoubles(gE), numeric, TOLERANCE);
    }

    private int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(V);
        }
        return y;
    }

    private CheckReport checkCrossEntropy() {
        Tensor z = FiniteDifferences.randomTensor(be, rng, Shape.of(M, B, V), 2.0), gz = be.zeros(z.shape());
        Tensor labels = be.ints(Shape.of(M, B), labels(M * B));
        Tensor weights = FiniteDifferences.randomTensor(be, rng, Shape.of(M, B), 0.5);
        Var logits = Var.parameter(z, gz);
        Tape tape = new Tape(be, true);
        new Ops(tape).crossEntropy(logits, labels, weights);
        tape.backward();
        double[] numeric = FiniteDifferences.gradient(be, z, unused -> {
            double[] loss = be.toDoubles(new Ops(new Tape(be, false)).crossEntropy(logits, labels, weights).loss());
            return loss[0] + loss[1];
        });
        CheckReport report = new CheckReport();
        report.add(CheckRow.compare("cross-entropy d/logits", be.toDoubles(gz), numeric, TOLERANCE));
        return report;
    }

    private CheckReport checkLpPenalty() {
        int p = 11;
        Tensor w = FiniteDifferences.randomTensor(be, rng, Shape.of(M, p), 1.0), g = be.zeros(w.shape());
        Tensor mask = be.zeros(Shape.of(1, p));
        double[] m = new double[p];
        for (int i = 0; i < p; i++) {
            m[i] = i % 3 == 0 ? 0 : 1;
        }
        be.upload(mask, m);
        Tensor penalty = be.zeros(Shape.of(M, 1));
        double exponent = 1.5, alpha = 0.3;
        be.lpPenalty(w, mask, exponent, alpha, g, penalty);
        Tensor sink = be.zeros(w.shape());
        double[] numeric = FiniteDifferences.gradient(be, w, unused -> {
            be.lpPenalty(w, mask, exponent, alpha, sink, penalty);
            double[] pen = be.toDoubles(penalty);
            return pen[0] + pen[1];
        });
        CheckReport report = new CheckReport();
        report.add(CheckRow.compare("Lp penalty d/w", be.toDoubles(g), numeric, TOLERANCE));
        return report;
    }
}
