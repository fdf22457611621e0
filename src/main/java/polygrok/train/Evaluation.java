package polygrok.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import polygrok.autograd.Loss;
import polygrok.backend.Backend;
import polygrok.model.ModelGroup;
import polygrok.model.ParameterSpec;

/**
 * An eval epoch of the active runs: reads the losses, norms and (for a hook that measures) the
 * weights back to the host, writes one metrics line per run, and applies the stop rules: a
 * non-finite loss, the plan's test loss and test accuracy. A run that stops is ended at once.
 */
final class Evaluation {
    private final Backend backend;
    private final Trainer.Plan plan;
    private final Trainer.MeasureHook hook;
    private final Trainer.Listener listener;
    private final RunCompletion completion;

    Evaluation(Backend backend, Trainer.Plan plan, Trainer.MeasureHook hook, Trainer.Listener listener, RunCompletion completion) {
        this.backend = backend;
        this.plan = plan;
        this.hook = hook;
        this.listener = listener;
        this.completion = completion;
    }

    /** @param trainLoss the train forward's losses of this epoch, {@code testLoss} the test set's, both before its step */
    void evaluate(ActiveRuns a, int epoch, double wall, Loss trainLoss, Loss testLoss) throws IOException {
        ModelGroup group = a.group;
        RunProgress[] progress = a.progress;
        List<Trainer.Run> runs = a.runs;
        double[] trainRows = backend.toDoubles(trainLoss.perExample());
        // softmax collapse is a measure of the train logits themselves: they cross to the host at evals
        double[] trainLogits = backend.toDoubles(trainLoss.logits());
        int vocab = trainLoss.logits().dim(2);
        double[] testRows = backend.toDoubles(testLoss.perExample());
        // norms and weights as they were before this epoch's step, like the losses; the weights
        // themselves cross to the host only for a hook that measures them
        double[] normValues = backend.toDoubles(group.evalNorms());
        double[] params = hook == null || !hook.measures(epoch) ? null : backend.toDoubles(group.evalWeights());
        double[] steps = backend.toDoubles(group.steps());
        int trainB = trainLoss.perExample().dim(1), testB = testLoss.perExample().dim(1);
        List<MetricsLine> lines = new ArrayList<>();
        long total = group.model().layout().total();
        for (int i = 0; i < runs.size(); i++) {
            Trainer.Run r = runs.get(i);
            RunProgress pr = progress[i];
            if (!pr.active()) {
                lines.add(null);
                continue;
            }
            SetMetrics train = SetMetrics.of(trainRows, i * trainB * 3, r.train());
            SetMetrics test = SetMetrics.of(testRows, i * testB * 3, r.test());
            Map<String, double[]> byName = new LinkedHashMap<>();
            Map<String, double[]> norms = new LinkedHashMap<>();
            List<ParameterSpec> specs = group.model().layout().specs();
            for (int k = 0; k < specs.size(); k++) {
                ParameterSpec s = specs.get(k);
                int at = (i * specs.size() + k) * 2;
                norms.put(s.name(), new double[]{normValues[at], normValues[at + 1]});
                if (params != null) {
                    int from = Math.toIntExact(i * total + s.offset());
                    byName.put(s.name(), Arrays.copyOfRange(params, from, from + (int) s.size()));
                }
            }
            Map<String, Double> extra = new LinkedHashMap<>();
            double[] collapse = SoftmaxCollapse.fractions(trainLogits, i, trainB, vocab, r.train());
            extra.put("softmax_collapse", collapse[0]);
            if (params != null) {
                extra.putAll(hook.measure(epoch, r, byName));
            }
            // the step counter was advanced by this epoch's update; metrics describe the weights before it
            MetricsLine line = new MetricsLine(epoch, (long) steps[i] - 1, wall, train, test, r.taskNames(), norms, extra);
            lines.add(line);
            if (!Double.isFinite(train.loss()) || !Double.isFinite(test.loss())) {
                pr.nonFinite = "non-finite loss at epoch " + epoch + " (train " + train.loss() + ", test " + test.loss()
                        + "); the last good checkpoint is the newest one in " + (r.dir() == null ? "(none)" : r.dir().checkpointDir());
                pr.stoppedAt = epoch;
                pr.stoppedEarly = RunEnd.nonFinite(epoch, pr.nonFinite);
                listener.message(r.name() + ": " + pr.nonFinite);
            }
            if (r.dir() != null) {
                r.dir().appendMetrics(line.toJson());
            }
            pr.record(line);
            applyStopRules(r, pr, epoch, test);
            if (!pr.active()) {
                completion.finish(a, i, pr.stoppedAt, wall, false);
            }
        }
        listener.evaluated(epoch, runs, lines);
    }

    /** The plan's stop conditions on a run whose losses are finite: test loss below its bound, or test accuracy reached. */
    private void applyStopRules(Trainer.Run r, RunProgress pr, int epoch, SetMetrics test) {
        if (pr.nonFinite == null && test.loss() < plan.stopTestLoss()) {
            pr.stoppedEarly = RunEnd.testLoss(epoch, test.loss(), plan.stopTestLoss());
        } else if (pr.nonFinite == null && test.acc() >= plan.stopTestAcc()) {
            pr.stoppedEarly = RunEnd.grokked(epoch, test.acc(), plan.stopTestAcc());
        }
        if (pr.nonFinite == null && pr.stoppedEarly != null) {
            // the eval line of epoch e describes the weights before its step; the run ends after that
            // step, which the group has taken: its final checkpoint is written now, while it holds them
            pr.stoppedAt = epoch + 1;
            listener.message(r.name() + ": " + pr.stoppedEarly.text());
        }
    }
}
