package polygrok.analysis.paper;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import polygrok.io.JsonFiles;

/**
 * What one run directory says about grokking, read from the files a run writes (config.json,
 * summary.json, metrics.jsonl), so it works on runs trained anywhere. Grokked means test accuracy
 * reached {@value #GROKKED} at an eval, the threshold the paper's reproduction sweeps stop at.
 *
 * @param start         {@link #SCRATCH}, {@link #PG_E} (embedding loaded and frozen), {@link #PG_T}
 *                      (attention and MLP loaded and frozen) or {@link #OTHER}
 * @param sourceOps     the operations of the checkpoint a fine-tuned run started from (empty from scratch or unknown)
 * @param finished      the run has a summary (it ended; a run still training or interrupted has none)
 * @param budgetEpochs  the epochs the config allowed; for a run whose summary says it ended on its budget,
 *                      that budget (the config of a run continued past it already holds the larger one)
 * @param epochTo99     first eval epoch with test accuracy (the mean over tasks) >= 0.99; null if never
 * @param taskEpochTo99 the same per task, for mixtures (empty for a single task)
 * @param setupDiffers  null when the run was trained in the paper's setup ({@link PaperSetup}), otherwise how it differs
 * @param lateGain      what its test accuracy gained over the last fifth of the epochs it ran
 * @param taskLateGain  the same per task, for mixtures (empty for a single task)
 * @param draw          what was trained, schedule aside ({@link RunDraw}): runs with equal draws are one draw
 * @param operandSplit  test accuracy on number pairs and on pairs with a symbol operand at its last split checkpoint
 *                      ({@link OperandSplitAtEnd#NONE} unless {@code polygrok analyze} wrote one)
 */
public record RunOutcome(Path dir, List<String> ops, double trainFraction, String start, List<String> sourceOps,
                         boolean finished, int budgetEpochs, int epochsRun, Integer epochTo99, double bestTestAcc,
                         Map<String, Integer> taskEpochTo99, Map<String, Double> taskBestAcc, String setupDiffers,
                         LateGain lateGain, Map<String, LateGain> taskLateGain, String draw, OperandSplitAtEnd operandSplit) {
    public static final double GROKKED = 0.99;
    public static final String SCRATCH = "scratch", PG_E = "PG-E", PG_T = "PG-T", OTHER = "other";

    public RunOutcome {
        ops = List.copyOf(ops);
        sourceOps = List.copyOf(sourceOps);
        taskEpochTo99 = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(taskEpochTo99));
        taskBestAcc = Map.copyOf(taskBestAcc);
        taskLateGain = Map.copyOf(taskLateGain);
    }

    /** What the named task's (null: the run's) test accuracy gained over the last fifth of the run. */
    public LateGain lateGain(String task) {
        return task == null ? lateGain : taskLateGain.getOrDefault(task, LateGain.NONE);
    }

    /** Whether the named task (null: every task of the run) reached full test accuracy. */
    public boolean grokked(String task) {
        if (task != null) {
            return taskEpochTo99.get(task) != null;
        }
        if (ops.size() == 1 || taskEpochTo99.isEmpty()) {
            return epochTo99 != null;
        }
        return taskEpochTo99.values().stream().allMatch(e -> e != null);
    }

    /** The epoch the named task (null: every task) first reached full test accuracy, or null. */
    public Integer epochGrokked(String task) {
        if (task != null) {
            return taskEpochTo99.get(task);
        }
        if (ops.size() == 1 || taskEpochTo99.isEmpty()) {
            return epochTo99;
        }
        return grokked(null) ? taskEpochTo99.values().stream().max(Integer::compare).orElse(null) : null;
    }

    /** Best test accuracy of the named task (null: the mean over tasks). */
    public double bestAcc(String task) {
        return task == null ? bestTestAcc : taskBestAcc.getOrDefault(task, Double.NaN);
    }

    /** Every run directory (one holding config.json) under the given directories, in path order. */
    public static List<RunOutcome> scan(List<Path> roots) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IOException(root + " is not a directory; give run directories or directories that hold runs");
            }
            try (Stream<Path> walk = Files.walk(root, 8)) {
                walk.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().forEach(dirs::add);
            }
        }
        List<RunOutcome> out = new ArrayList<>();
        for (Path d : dirs) {
            out.add(read(d));
        }
        return out;
    }

    /** Reads one run directory. */
    public static RunOutcome read(Path dir) throws IOException {
        JsonObject config = JsonFiles.readObjectIfPresent(dir.resolve("config.json"));
        JsonObject summary = JsonFiles.readObjectIfPresent(dir.resolve("summary.json"));
        List<String> ops = strings(config.get("ops"));
        double fraction = config.get("train_fraction").getAsDouble();
        int budget = config.get("epochs").getAsInt();
        String start = SCRATCH;
        List<String> sourceOps = List.of();
        if (config.has("init") && config.get("init").isJsonObject()) {
            JsonObject init = config.getAsJsonObject("init");
            List<String> load = strings(init.get("load")), freeze = strings(init.get("freeze"));
            start = load.equals(List.of("embed")) && freeze.equals(List.of("embed")) ? PG_E
                    : load.equals(List.of("transformer")) && freeze.equals(List.of("transformer")) ? PG_T : OTHER;
            JsonObject provenance = config.has("provenance") && config.get("provenance").isJsonObject()
                    ? config.getAsJsonObject("provenance") : new JsonObject();
            sourceOps = strings(provenance.get("init_source_ops"));
        }
        Integer to99 = null;
        double best = Double.NaN;
        int epochsRun = -1;
        if (summary != null) {
            JsonObject to = summary.has("epochs_to_acc") ? summary.getAsJsonObject("epochs_to_acc") : new JsonObject();
            to99 = to.has("0.99") && !to.get("0.99").isJsonNull() ? to.get("0.99").getAsInt() : null;
            best = summary.has("best_test_acc") && summary.get("best_test_acc").isJsonPrimitive()
                    ? summary.get("best_test_acc").getAsDouble() : Double.NaN; // null: no eval held a number
            epochsRun = summary.has("epochs_run") ? summary.get("epochs_run").getAsInt() : -1;
            budget = budgetItEndedOn(summary, budget);
        }
        // a mixture's tasks, from metrics.jsonl or a recorded curve.csv's test_acc:<task> columns
        Map<String, Integer> taskTo99 = new LinkedHashMap<>();
        Map<String, Double> taskBest = new LinkedHashMap<>();
        for (String task : ops.size() > 1 ? ops : List.<String>of()) {
            RunCurve c = RunCurve.read(dir, task);
            for (int i = 0; i < c.size(); i++) {
                taskTo99.putIfAbsent(task, null);
                if (taskTo99.get(task) == null && c.testAcc()[i] >= GROKKED) {
                    taskTo99.put(task, (int) c.epochs()[i]);
                }
                taskBest.merge(task, c.testAcc()[i], Math::max);
            }
        }
        return new RunOutcome(dir, ops, fraction, start, sourceOps, summary != null, budget, epochsRun, to99, best,
                taskTo99, taskBest, PaperSetup.difference(config), LateGain.read(dir, null, epochsRun), taskLateGains(dir, taskBest.keySet(), epochsRun),
                RunDraw.of(config, dir), OperandSplitAtEnd.read(dir, epochsRun));
    }

    private static Map<String, LateGain> taskLateGains(Path dir, java.util.Set<String> tasks, int epochsRun) throws IOException {
        Map<String, LateGain> out = new LinkedHashMap<>();
        for (String t : tasks) {
            out.put(t, LateGain.read(dir, t, epochsRun));
        }
        return out;
    }

    /**
     * The budget a summary's run ended on: a run that ended on its budget and is being continued to a
     * larger one has the new budget in its config.json already, while its summary still tells the end
     * on the old one, and that is what the summary's numbers belong to.
     */
    private static int budgetItEndedOn(JsonObject summary, int configBudget) {
        if (summary.has("ended") && summary.get("ended").isJsonObject()) {
            JsonObject ended = summary.getAsJsonObject("ended");
            if (ended.has("reason") && "budget".equals(ended.get("reason").getAsString()) && ended.has("epoch")) {
                return ended.get("epoch").getAsInt();
            }
        }
        return configBudget;
    }

    private static List<String> strings(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e != null && e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
        }
        return out;
    }
}
