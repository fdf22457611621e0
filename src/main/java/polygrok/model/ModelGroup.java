package polygrok.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import polygrok.autograd.Loss;
import polygrok.autograd.Ops;
import polygrok.autograd.Tape;
import polygrok.autograd.Var;
import polygrok.backend.AdamWSettings;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.model.ForwardOptions;
import polygrok.model.Model;
import polygrok.model.ParameterBlock;
import polygrok.model.ParameterSpec;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * M models of one shape on one backend, trained together: parameters, gradients and AdamW moments
 * as [M, P] blocks, per-model hyper-parameters, and the tapes of the training step and of evaluation.
 * Everything a step touches is allocated once, so a step can be captured and replayed.
 */
public final class ModelGroup implements AutoCloseable {
    private final Backend backend;
    private final Model model;
    private final ParameterBlock params, grads, moment1, moment2;
    private final AdamWSettings adamw;
    private final Tensor penalty;
    private final double lpP, lpAlpha;
    private final Map<String, Var> vars = new LinkedHashMap<>();
    private final Map<String, Var> frozenVars = new LinkedHashMap<>();
    private final Tape trainTape, evalTape;
    /** A second evaluation tape: its results live beside {@link #evaluate}'s (see {@link #evaluateTrainSet}). */
    private final Tape trainSetEvalTape;
    /** The stretch of each named parameter in a model's block, I32 [1, S + 1], and their norms [M, S, 2]. */
    private final Tensor normOffsets, norms;
    /** The weights an eval line describes (those before its epoch's step), copied for the measure hooks: [M, P]. */
    private final Tensor evalWeights;
    /** Grokfast's filter and its state ([M, slots * P]) and call count ([M, 1]); null without a filter. */
    private final polygrok.config.GradFilterConfig filter;
    private final Tensor filterState, filterCount;
    /** ⊥Grad before each step, per named parameter (the stretches of {@link #normOffsets}). */
    private final boolean orthogonal;
    /** The loss the train and eval passes compute (one per group: a group's models share it). */
    private LossMode lossMode = LossMode.CROSS_ENTROPY;

    /**
     * @param settings one per model (all must share betas, eps and the Lp penalty)
     * @param frozen   names of parameters that are neither updated nor decayed
     */
    public ModelGroup(Backend backend, Model model, List<OptimizerSettings> settings, Set<String> frozen) {
        this.backend = backend;
        this.model = model;
        int m = settings.size();
        OptimizerSettings first = settings.get(0);
        for (OptimizerSettings s : settings) {
            if (s.beta1() != first.beta1() || s.beta2() != first.beta2() || s.eps() != first.eps()
                    || s.lpP() != first.lpP() || s.lpAlpha() != first.lpAlpha()
                    || !java.util.Objects.equals(s.gradFilter(), first.gradFilter()) || s.coupledDecay() != first.coupledDecay()
                    || s.warmupSteps() != first.warmupSteps() || s.orthogonal() != first.orthogonal()) {
                throw new IllegalArgumentException("models trained together must share betas, eps, the Lp penalty, the"
                        + " gradient filter, the optimizer type, warm-up and orthogonal; got " + first + " and " + s);
            }
        }
        this.params = new ParameterBlock(backend, model.layout(), m);
        this.grads = new ParameterBlock(backend, model.layout(), m);
        this.moment1 = new ParameterBlock(backend, model.layout(), m);
        this.moment2 = new ParameterBlock(backend, model.layout(), m);
        double[] lr = new double[m], wd = new double[m];
        for (int i = 0; i < m; i++) {
            lr[i] = settings.get(i).lr();
            wd[i] = settings.get(i).weightDecay();
        }
        int p = Math.toIntExact(model.layout().total());
        double[] mask = new double[p];
        for (ParameterSpec s : model.layout().specs()) {
            double v = frozen.contains(s.name()) ? 0 : 1;
            java.util.Arrays.fill(mask, (int) s.offset(), (int) (s.offset() + s.size()), v);
        }
        for (String f : frozen) {
            model.layout().spec(f); // names an unknown parameter clearly
        }
        this.adamw = new AdamWSettings(upload(Shape.of(m, 1), lr), upload(Shape.of(m, 1), wd),
                backend.zeros(Shape.of(m, 1)), upload(Shape.of(1, p), mask), first.beta1(), first.beta2(), first.eps(),
                first.coupledDecay(), first.warmupSteps());
        BackendOptions.check(backend, first);
        BackendOptions.check(backend, model.spec());
        this.penalty = backend.zeros(Shape.of(m, 1));
        this.lpP = first.lpP();
        this.lpAlpha = first.lpAlpha();
        for (ParameterSpec s : model.layout().specs()) {
            vars.put(s.name(), Var.parameter(params.view(s.name()), grads.view(s.name())));
            frozenVars.put(s.name(), Var.constant(params.view(s.name())));
        }
        this.trainTape = new Tape(backend, true);
        this.evalTape = new Tape(backend, false);
        this.trainSetEvalTape = new Tape(backend, false);
        List<ParameterSpec> specs = model.layout().specs();
        int[] offsets = new int[specs.size() + 1];
        for (int i = 0; i < specs.size(); i++) {
            offsets[i] = Math.toIntExact(specs.get(i).offset());
            if (i > 0 && offsets[i] != offsets[i - 1] + specs.get(i - 1).size()) {
                throw new IllegalStateException("parameter " + specs.get(i).name() + " does not follow " + specs.get(i - 1).name());
            }
        }
        offsets[specs.size()] = offsets[specs.size() - 1] + Math.toIntExact(specs.get(specs.size() - 1).size());
        this.normOffsets = backend.ints(Shape.of(1, offsets.length), offsets);
        this.norms = backend.zeros(Shape.of(m, specs.size(), 2));
        this.evalWeights = backend.zeros(params.block().shape());
        this.filter = first.gradFilter();
        if (filter != null && !backend.hasGradFilter()) {
            throw new IllegalArgumentException("optimizer.grad_filter: the " + backend.name() + " backend has no gradient filter yet;"
                    + " train with --backend cpu (or cpuref), or leave grad_filter out");
        }
        this.filterState = filter == null ? null : backend.zeros(Shape.of(m, (long) filter.stateSlots() * p));
        this.filterCount = filter == null ? null : backend.zeros(Shape.of(m, 1));
        this.orthogonal = first.orthogonal();
    }

    /**
     * Train and evaluate with the loss {@code mode} names from now on; a backend that cannot compute
     * it is refused here, before anything trains, with its reason.
     */
    public void useLoss(LossMode mode) {
        String why = backend.supportsLoss(mode);
        if (why != null) {
            throw new IllegalArgumentException("loss: " + why);
        }
        this.lossMode = mode;
    }

    public LossMode lossMode() {
        return lossMode;
    }

    /** The gradient filter, or null. */
    public polygrok.config.GradFilterConfig filter() {
        return filter;
    }

    /** The filter's state [M, slots * P] (EMA: the mean; MA: the ring of the last gradients), or null. */
    public Tensor filterState() {
        return filterState;
    }

    /** How many times the filter has run for each model [M, 1], or null. */
    public Tensor filterCount() {
        return filterCount;
    }

    /**
     * Keeps what an eval line reports of the weights as they are now, before the epoch's step (the
     * seed logs before {@code optimizer.step()}): the L1 and L2 norm of every named parameter, computed
     * where the weights are, and a copy of the weights for measures such as FFD. Nothing is read back.
     */
    public void recordEvalWeights() {
        backend.parameterNorms(params.block(), normOffsets, norms);
        backend.copy(params.block(), evalWeights);
    }

    /** The norms kept by the last {@link #recordEvalWeights}: [M, S, 2] in the order of the layout's specs. */
    public Tensor evalNorms() {
        return norms;
    }

    /** The weights kept by the last {@link #recordEvalWeights}: [M, P], laid out as {@link #params()}. */
    public Tensor evalWeights() {
        return evalWeights;
    }

    /**
     * A new group holding models {@code keep} of this one, in that order: their weights, AdamW moments
     * and step counts, with the given per-model settings. Each block is read once and written once.
     */
    public ModelGroup subset(int[] keep, List<OptimizerSettings> settings, Set<String> frozen) {
        if (keep.length != settings.size()) {
            throw new IllegalArgumentException(keep.length + " models kept but " + settings.size() + " settings given");
        }
        ModelGroup g = new ModelGroup(backend, model, settings, frozen);
        g.useLoss(lossMode);
        copyRows(params.block(), g.params.block(), keep);
        copyRows(moment1.block(), g.moment1.block(), keep);
        copyRows(moment2.block(), g.moment2.block(), keep);
        copyRows(steps(), g.steps(), keep);
        if (filter != null) {
            copyRows(filterState, g.filterState, keep);
            copyRows(filterCount, g.filterCount, keep);
        }
        return g;
    }

    private void copyRows(Tensor from, Tensor to, int[] rows) {
        double[] all = backend.toDoubles(from);
        int width = all.length / from.shape().dim(0);
        double[] kept = new double[rows.length * width];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(all, rows[j] * width, kept, j * width, width);
        }
        backend.upload(to, kept);
    }

    private Tensor upload(Shape shape, double[] values) {
        Tensor t = backend.zeros(shape);
        backend.upload(t, values);
        return t;
    }

    public Backend backend() {
        return backend;
    }

    public Model model() {
        return model;
    }

    public int models() {
        return params.models();
    }

    public ParameterBlock params() {
        return params;
    }

    public ParameterBlock grads() {
        return grads;
    }

    public ParameterBlock moment1() {
        return moment1;
    }

    public ParameterBlock moment2() {
        return moment2;
    }

    /** [M, 1] steps taken by each model. */
    public Tensor steps() {
        return adamw.step();
    }

    /** Forward and backward on a batch: gradients of the weighted loss (plus the Lp penalty) in {@link #grads()}. */
    public Loss forwardBackward(Batch batch, ForwardOptions options) {
        trainTape.reset();
        backend.fill(grads.block(), 0);
        Ops ops = new Ops(trainTape);
        Var logits = model.forward(ops, vars, batch.tokens(), options);
        Loss loss = ops.crossEntropy(logits, batch.labels(), batch.weights(), lossMode);
        trainTape.backward();
        if (lpAlpha != 0) {
            backend.lpPenalty(params.block(), adamw.trainable(), lpP, lpAlpha, grads.block(), penalty);
        }
        return loss;
    }

    /**
     * One optimizer step with the gradients in {@link #grads()}: the gradient filter, then ⊥Grad, then
     * AdamW (or Adam, whose coupled decay adds wd w after the projection, as torch.optim.Adam inside
     * a wrapped step). The filter comes first as in the methods' released code, where Grokfast edits
     * p.grad before optimizer.step() and ⊥Grad projects inside step(); so the amplified slow
     * gradient is projected too, and the update stays orthogonal to the weights.
     */
    public void optimizerStep() {
        if (filter != null) {
            backend.gradFilter(grads.block(), filterState, filterCount, adamw.trainable(), filter.alpha(), filter.lambda(),
                    polygrok.config.GradFilterConfig.EMA.equals(filter.type()) ? 0 : filter.window());
        }
        if (orthogonal) {
            backend.orthogonalGradient(params.block(), grads.block(), normOffsets, adamw.trainable());
        }
        backend.adamwStep(params.block(), grads.block(), moment1.block(), moment2.block(), adamw);
    }

    /** A training step: forward, backward, AdamW. */
    public Loss trainStep(Batch batch) {
        Loss loss = forwardBackward(batch, ForwardOptions.FAST);
        optimizerStep();
        return loss;
    }

    /** Loss and per-example statistics without gradients. */
    public Loss evaluate(Batch batch) {
        return evaluate(batch, evalTape);
    }

    /**
     * The same for the train set, on a tape of its own, for epochs that evaluate the train set and the
     * test set one after the other (minibatches): a tape hands the same op sequence the same tensors after
     * a reset, so with train and test sets of one size (a 50% split) a shared tape made the train
     * statistics the test statistics.
     */
    public Loss evaluateTrainSet(Batch batch) {
        return evaluate(batch, trainSetEvalTape);
    }

    private Loss evaluate(Batch batch, Tape tape) {
        tape.reset();
        Ops ops = new Ops(tape);
        Var logits = model.forward(ops, frozenVars, batch.tokens(), ForwardOptions.FAST);
        return ops.crossEntropy(logits, batch.labels(), batch.weights(), lossMode);
    }

    /** Logits [M, B, V] of a forward pass (a tape of its own; for analysis and checks). */
    public Tensor logits(Tensor tokens, ForwardOptions options) {
        Tape tape = new Tape(backend, false);
        return model.forward(new Ops(tape), frozenVars, tokens, options).value();
    }

    /** The Lp penalty of each model at the last forwardBackward, [M, 1] (zeros when off). */
    public Tensor penalty() {
        return penalty;
    }

    @Override
    public void close() {
        // Backend memory belongs to the backend and is released when it closes.
    }
}
