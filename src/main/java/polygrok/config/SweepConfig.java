package polygrok.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A sweep: a base experiment and axes to vary, expanded (cartesian product) into named points.
 * An axis left out (null) keeps the base's value and adds nothing to the names; a declared axis,
 * even with one value, adds its piece to every name ("add_f0.3_lr1e-3"), so names stay stable
 * when values are added later. Seeds are not a naming axis: each point's seeds become its
 * seed_S run directories. JSON keys: see {@link SweepLoader}.
 *
 * @param name            the sweep's name; its output directory is OUT/NAME
 * @param base            the experiment every point starts from
 * @param ops             op lists (a list of several ops is a mixture); null = the base's ops
 * @param seeds           seeds of every point; null = the base's seeds
 * @param trainFractions  null = the base's train_fraction
 * @param lrs             null = the base's optimizer.lr
 * @param weightDecays    null = the base's optimizer.weight_decay
 * @param initCheckpoints checkpoint paths replacing the base's init.checkpoint (load/freeze stay the base's); null = the base's
 * @param initNames       the name piece of each init checkpoint ("init-NAME"); null = each file's stem
 * @param gradFilters     gradient filters to compare (an entry may be null: no filter); null = the base's
 * @param optimizerAxes   optimizer_type, warmup_steps and orthogonal axes; null = the base's
 * @param losses          losses to compare ("cross_entropy", "stablemax"); null = the base's loss
 * @param lossPrecisions  loss precisions to compare ("float64", "float32"); null = the base's loss_precision
 * @param modelsPerLaunch runs trained together on one model axis; null = the backend's default
 * @param shards          how many cluster shards the sweep is split into, for schedulers that do not say (Kubernetes); null = unknown
 */
public record SweepConfig(String name, ExperimentConfig base, List<List<String>> ops, List<Long> seeds,
                          List<Double> trainFractions, List<Double> lrs, List<Double> weightDecays,
                          List<String> initCheckpoints, List<String> initNames, List<GradFilterConfig> gradFilters,
                          OptimizerAxes optimizerAxes, List<String> losses, List<String> lossPrecisions,
                          Integer modelsPerLaunch, Integer shards) {

    public SweepConfig {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.+,=-]*")) {
            throw new ConfigException("name", "\"" + name + "\" is not a usable sweep name; allowed: letters, digits and _ . + , = -"
                    + " (it names a directory)");
        }
        if (base == null) {
            throw new ConfigException("base", "is missing; give an inline config object or the path of a config file");
        }
        ops = copyAxis("axes.ops", ops);
        if (ops != null) {
            List<List<String>> copied = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).isEmpty()) {
                    throw new ConfigException("axes.ops[" + i + "]", "is an empty op list; name at least one operation");
                }
                copied.add(List.copyOf(ops.get(i)));
            }
            ops = List.copyOf(copied);
        }
        seeds = copyAxis("axes.seeds", seeds);
        trainFractions = copyAxis("axes.train_fraction", trainFractions);
        lrs = copyAxis("axes.lr", lrs);
        weightDecays = copyAxis("axes.weight_decay", weightDecays);
        initCheckpoints = copyAxis("axes.init_checkpoint", initCheckpoints);
        initNames = initNames == null ? null : List.copyOf(initNames);
        if (gradFilters != null) {
            if (gradFilters.isEmpty()) {
                throw new ConfigException("axes.grad_filter", "is empty; list at least one filter (null for none), or leave the axis out");
            }
            gradFilters = java.util.Collections.unmodifiableList(new ArrayList<>(gradFilters)); // null entries: no filter
            if (new java.util.HashSet<>(gradFilters.stream().map(SweepConfig::filterPiece).toList()).size() != gradFilters.size()) {
                throw new ConfigException("axes.grad_filter", "names the same filter twice");
            }
        }
        losses = copyAxis("axes.loss", losses);
        lossPrecisions = copyAxis("axes.loss_precision", lossPrecisions);
        check("axes.loss", losses, LossConfig.FUNCTIONS::contains, "is not a loss; allowed: " + String.join(", ", LossConfig.FUNCTIONS));
        check("axes.loss_precision", lossPrecisions, LossConfig.PRECISIONS::contains,
                "is not a loss precision; allowed: " + String.join(", ", LossConfig.PRECISIONS));
        if (initNames != null && (initCheckpoints == null || initNames.size() != initCheckpoints.size())) {
            throw new IllegalArgumentException("one name per init checkpoint");
        }
        check("axes.train_fraction", trainFractions, v -> v > 0 && v < 1, "is outside (0, 1); allowed: strictly between 0 and 1");
        check("axes.lr", lrs, v -> v > 0 && !v.isInfinite(), "must be a positive finite number");
        check("axes.weight_decay", weightDecays, v -> v >= 0 && !v.isInfinite(), "must be >= 0 and finite");
        if (modelsPerLaunch != null && modelsPerLaunch < 1) {
            throw new ConfigException("models_per_launch", modelsPerLaunch + " must be at least 1, or left out for the backend's default");
        }
        if (shards != null && shards < 1) {
            throw new ConfigException("shards", shards + " must be at least 1, or left out");
        }
        expand(name, base, ops, seeds, trainFractions, lrs, weightDecays, initCheckpoints, initNames); // validates every point
    }

    /** This sweep with another base (command-line overrides). */
    public SweepConfig withBase(ExperimentConfig newBase) {
        return new SweepConfig(name, newBase, ops, seeds, trainFractions, lrs, weightDecays, initCheckpoints, initNames, gradFilters, optimizerAxes, losses, lossPrecisions, modelsPerLaunch, shards);
    }

    /** This sweep with {@value InitConfig#OUT} in its init checkpoint paths replaced by the sweep file's output directory. */
    public SweepConfig withOut(String sweepOut) {
        ExperimentConfig b = base.init() == null ? base : base.withInit(base.init().withOut(sweepOut));
        List<String> inits = initCheckpoints == null ? null
                : initCheckpoints.stream().map(c -> c.replace(InitConfig.OUT, sweepOut)).toList();
        return new SweepConfig(name, b, ops, seeds, trainFractions, lrs, weightDecays, inits, initNames, gradFilters, optimizerAxes, losses, lossPrecisions, modelsPerLaunch, shards);
    }

    /** The grid's points in a fixed order: ops outermost, then train_fraction, lr, weight_decay, init_checkpoint. */
    public List<SweepPoint> points() {
        List<SweepPoint> points = expand(name, base, ops, seeds, trainFractions, lrs, weightDecays, initCheckpoints, initNames);
        return lossPoints(filterPoints(points));
    }

    /** The loss axes, innermost after the filter: "_loss-stablemax", then "_prec-float32", added to each name. */
    private List<SweepPoint> lossPoints(List<SweepPoint> points) {
        for (int axis = 0; axis < 2; axis++) {
            List<String> values = axis == 0 ? losses : lossPrecisions;
            if (values == null) {
                continue;
            }
            List<SweepPoint> out = new ArrayList<>();
            for (SweepPoint p : points) {
                for (String v : values) {
                    String n = p.name() + (axis == 0 ? "_loss-" : "_prec-") + v;
                    LossConfig l = axis == 0 ? p.config().loss().withFunction(v) : p.config().loss().withPrecision(v);
                    out.add(new SweepPoint(n, p.config().withName(n).withLoss(l)));
                }
            }
            points = out;
        }
        return points;
    }

    private List<SweepPoint> filterPoints(List<SweepPoint> points) {
        if (gradFilters == null) {
            return optimizerAxes == null ? points : optimizerAxes.expand(points);
        }
        // the filter axis is the innermost: each point once per filter, "_gf-..." added to its name
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            for (GradFilterConfig f : gradFilters) {
                String n = p.name() + "_" + filterPiece(f);
                out.add(new SweepPoint(n, p.config().withName(n).withOptimizer(p.config().optimizer().withGradFilter(f))));
            }
        }
        return optimizerAxes == null ? out : optimizerAxes.expand(out);
    }

    /** "gf-none", "gf-ema-a0.98-l2", "gf-ma-w100-l5". */
    static String filterPiece(GradFilterConfig f) {
        if (f == null) {
            return "gf-none";
        }
        return GradFilterConfig.EMA.equals(f.type())
                ? "gf-ema-a" + SweepNames.number(f.alpha()) + "-l" + SweepNames.number(f.lambda())
                : "gf-ma-w" + f.window() + "-l" + SweepNames.number(f.lambda());
    }

    /** Number of runs (points x seeds). */
    public int runCount() {
        return points().stream().mapToInt(p -> p.config().seeds().size()).sum();
    }

    private static List<SweepPoint> expand(String sweepName, ExperimentConfig base, List<List<String>> ops, List<Long> seeds,
                                           List<Double> fractions, List<Double> lrs, List<Double> decays, List<String> inits,
                                           List<String> initNames) {
        List<SweepPoint> points = new ArrayList<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (List<String> opList : orBase(ops, base.ops())) {
            for (double f : orBase(fractions, base.trainFraction())) {
                for (double lr : orBase(lrs, base.optimizer().lr())) {
                    for (double wd : orBase(decays, base.optimizer().weightDecay())) {
                        List<String> initValues = orBase(inits, base.init() == null ? null : base.init().checkpoint());
                        for (int k = 0; k < initValues.size(); k++) {
                            String init = initValues.get(k);
                            List<String> pieces = new ArrayList<>();
                            pieces.add(ops == null ? base.name() : SweepNames.ops(opList));
                            if (fractions != null) {
                                pieces.add("f" + SweepNames.number(f));
                            }
                            if (lrs != null) {
                                pieces.add("lr" + SweepNames.number(lr));
                            }
                            if (decays != null) {
                                pieces.add("wd" + SweepNames.number(wd));
                            }
                            if (inits != null) {
                                pieces.add("init-" + (initNames != null ? initNames.get(k) : SweepNames.checkpointStem(init)));
                            }
                            String name = String.join("_", pieces);
                            String where = "ops " + opList + ", train_fraction " + f + ", lr " + lr + ", weight_decay " + wd
                                    + (inits == null ? "" : ", init_checkpoint " + init);
                            String clash = origin.put(name, where);
                            if (clash != null) {
                                throw new ConfigException("axes", "two points get the name \"" + name + "\" (" + clash + "; and " + where
                                        + "); make the axis values distinct after names drop spaces, * and ^");
                            }
                            points.add(new SweepPoint(name, point(base, name, opList, seeds, f, lr, wd, inits == null ? null : init, where)));
                        }
                    }
                }
            }
        }
        return points;
    }

    private static ExperimentConfig point(ExperimentConfig base, String name, List<String> ops, List<Long> seeds, double f,
                                          double lr, double wd, String init, String where) {
        try {
            ExperimentConfig c = base.withName(name).withOps(ops).withTrainFraction(f)
                    .withOptimizer(base.optimizer().withLr(lr).withWeightDecay(wd));
            if (seeds != null) {
                c = c.withSeeds(seeds);
            }
            if (init != null) {
                InitConfig i = base.init();
                c = c.withInit(i == null ? new InitConfig(init, null, null, null, "")
                        : new InitConfig(init, i.load(), i.freeze(), i.freezeRandom(), i.keyPrefix(), i.loadOptimizer()));
            }
            return c;
        } catch (ConfigException e) {
            throw new ConfigException("axes", "point \"" + name + "\" (" + where + ") is not a valid experiment: " + e.getMessage());
        }
    }

    private static <T> List<T> orBase(List<T> axis, T baseValue) {
        if (axis != null) {
            return axis;
        }
        List<T> one = new ArrayList<>();
        one.add(baseValue); // may be null (no init checkpoint)
        return one;
    }

    /** The axis as given, refused when empty, holding null or a value twice; null when the axis is absent. */
    static <T> List<T> copyAxis(String path, List<T> axis) {
        if (axis == null) {
            return null;
        }
        if (axis.isEmpty()) {
            throw new ConfigException(path, "is empty; give at least one value or leave the axis out");
        }
        Set<T> seen = new HashSet<>();
        for (int i = 0; i < axis.size(); i++) {
            if (axis.get(i) == null) {
                throw new ConfigException(path + "[" + i + "]", "is null; every axis value must be given");
            }
            if (!seen.add(axis.get(i))) {
                throw new ConfigException(path + "[" + i + "]", axis.get(i) + " appears twice");
            }
        }
        return List.copyOf(axis);
    }

    private static <T> void check(String path, List<T> axis, Predicate<T> check, String problem) {
        if (axis == null) {
            return;
        }
        for (int i = 0; i < axis.size(); i++) {
            if (!check.test(axis.get(i))) {
                throw new ConfigException(path + "[" + i + "]", axis.get(i) + " " + problem);
            }
        }
    }
}
