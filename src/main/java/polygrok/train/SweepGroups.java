package polygrok.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;
import polygrok.config.SweepPoint;
import polygrok.data.SplitData;
import polygrok.io.SafeDType;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;

/**
 * Packs a sweep's runs into groups that share a model axis. The order is fixed by the sweep file
 * alone: runs in grid order (points, then seeds), collected by {@link GroupKey} in order of first
 * appearance, each key's runs cut into groups of at most M. Shards rely on this: every machine
 * that reads the same sweep with the same M computes the same groups.
 *
 * <p>Nothing is read from disk here (init checkpoints are only loaded at training time), so a
 * plan is cheap and works before any run exists.
 */
public final class SweepGroups {
    /** Runs per group when neither the command line nor the sweep says: the GPU fills with many models. */
    public static final int DEFAULT_CUDA = 16;
    /** CPU default: the worker threads are busy with 4 models, and a group's memory stays small. */
    public static final int DEFAULT_CPU = 4;
    private SweepGroups() {
    }

    /** The default M for a backend: 16 where tensors live in device memory, 4 where they live on the heap. */
    public static int defaultModelsPerLaunch(polygrok.backend.Backend backend) {
        return defaultModelsPerLaunch(backend.tensorsOnHeap());
    }

    static int defaultModelsPerLaunch(boolean tensorsOnHeap) {
        return tensorsOnHeap ? DEFAULT_CPU : DEFAULT_CUDA;
    }

    /** Every run of the sweep's points, in grid order, with its directory under {@code sweepDir}. */
    public static List<SweepRun> runs(List<SweepPoint> points, Path sweepDir) {
        List<SweepRun> runs = new ArrayList<>();
        for (SweepPoint p : points) {
            for (long seed : p.config().seeds()) {
                runs.add(new SweepRun(p, seed, Experiments.runDirectory(sweepDir, p.config(), seed)));
            }
        }
        return runs;
    }

    /** The groups of a sweep, at most {@code modelsPerLaunch} runs each, indexed 0, 1, ... */
    public static List<RunGroup> of(List<SweepPoint> points, Path sweepDir, int modelsPerLaunch) {
        if (modelsPerLaunch < 1) {
            throw new IllegalArgumentException("models per launch must be at least 1, got " + modelsPerLaunch);
        }
        Map<GroupKey, List<SweepRun>> byKey = new LinkedHashMap<>();
        Map<String, GroupKey> keyOfPoint = new LinkedHashMap<>();
        for (SweepRun r : runs(points, sweepDir)) {
            GroupKey key = keyOfPoint.computeIfAbsent(r.point().name(), n -> key(r.point().config()));
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<RunGroup> groups = new ArrayList<>();
        for (List<SweepRun> same : byKey.values()) {
            for (int from = 0; from < same.size(); from += modelsPerLaunch) {
                groups.add(new RunGroup(groups.size(), same.subList(from, Math.min(same.size(), from + modelsPerLaunch))));
            }
        }
        return groups;
    }

    /**
     * The key of a config's runs. Example counts do not depend on the seed (only which pairs train
     * does), so the first seed's split stands for all of them.
     */
    static GroupKey key(ExperimentConfig c) {
        SplitData split = Experiments.firstSplit(c);
        ModelSpec spec = Experiments.modelSpec(c, split);
        InitialWeights frozenOnly = new InitialWeights(Map.of(), frozen(c.init(), spec), null);
        Trainer.Plan plan = Experiments.plan(c, spec, frozenOnly, false, SafeDType.F32);
        OptimizerSettings o = Experiments.optimizer(c);
        return new GroupKey(plan, o.beta1(), o.beta2(), o.eps(), o.lpP(), o.lpAlpha(), o.gradFilter(), o.coupledDecay(),
                o.warmupSteps(), o.orthogonal(), split.train().count(),
                split.test().count(), c.fourierEvery(), c.p());
    }

    private static Set<String> frozen(InitConfig init, ModelSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        if (init == null) {
            return names;
        }
        var layout = Model.of(spec).layout();
        for (String c : init.freeze()) {
            names.addAll(InitialWeights.component(c, layout));
        }
        for (String c : init.freezeRandom()) {
            names.addAll(InitialWeights.component(c, layout));
        }
        return names;
    }
}
