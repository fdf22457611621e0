package polygrok.analysis.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;

/** The paper beside synthetic run directories (no training): every verdict, counted and explained. */
public class ReproductionTest {

    /** A run directory as training leaves it: config.json, and summary.json once it ended. */
    public static Path run(Path root, String name, List<String> ops, double r, int budget, Integer to99, double best, boolean finished,
                    InitConfig init, String sourceOp, Map<String, Double> taskBest) throws IOException {
        ExperimentConfig c = ExperimentConfig.defaults(name, ops).withTrainFraction(r).withEpochs(budget).withInit(init)
                .withStopTestAcc(0.99);
        if (ops.size() > 1 && !ops.contains("add")) {
            c = ConfigLoader.parse(ConfigLoader.toJson(c).replace("\"task_tokens\": false", "\"task_tokens\": true"), name);
        }
        JsonObject config = JsonParser.parseString(ConfigLoader.toJson(c)).getAsJsonObject();
        config.addProperty("operand_range", "p+5"); // the paper's setup (PaperSetup); runs in another are set aside
        if (sourceOp != null) {
            JsonObject provenance = new JsonObject();
            JsonArray source = new JsonArray();
            source.add(sourceOp);
            provenance.add("init_source_ops", source);
            config.add("provenance", provenance);
        }
        Path dir = root.resolve(name).resolve("seed_0");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toString());
        if (taskBest != null) {
            // two eval lines; a task grokked if its best is >= 0.99
            StringBuilder lines = new StringBuilder();
            for (int e : new int[]{0, 500}) {
                JsonObject line = new JsonObject();
                line.addProperty("epoch", e);
                line.addProperty("test_acc", 0.5);
                JsonObject tasks = new JsonObject();
                taskBest.forEach((t, acc) -> {
                    JsonObject one = new JsonObject();
                    one.addProperty("test_acc", e == 0 ? 0.01 : acc);
                    tasks.add(t, one);
                });
                line.add("tasks", tasks);
                lines.append(line).append('\n');
            }
            Files.writeString(dir.resolve("metrics.jsonl"), lines.toString());
        }
        if (finished) {
            JsonObject s = new JsonObject();
            JsonObject to = new JsonObject();
            to.add("0.99", to99 == null ? com.google.gson.JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(to99));
            s.add("epochs_to_acc", to);
            s.addProperty("best_test_acc", best);
            s.addProperty("epochs_run", to99 == null ? budget : to99 + 1);
            Files.writeString(dir.resolve("summary.json"), s.toString());
        }
        return dir;
    }

    public static Path scratch(Path root, String name, String op, double r, int budget, Integer to99, double best) throws IOException {
        return run(root, name, List.of(op), r, budget, to99, best, true, null, null, null);
    }

    @Test
    void tableA5VerdictsAgreeDisagreeAndBudgetLimited(@TempDir Path root) throws IOException {
        scratch(root, "add_f0.3", "add", 0.3, 10000, 3190, 0.991);               // paper ✓, grokked: agrees
        scratch(root, "x_x_y_f0.3", "x_x_y", 0.3, 10000, null, 0.04);            // paper 3.1%, did not: agrees
        scratch(root, "subtract_f0.3", "subtract", 0.3, 10000, null, 0.2);       // paper ✓, did not in 10k < 100k: budget-limited
        scratch(root, "subtract_f0.4", "subtract", 0.4, 100000, null, 0.2);      // paper ✓, did not in the paper's budget: disagrees
        scratch(root, "xy_y_f0.3", "xy_y", 0.3, 10000, 7000, 0.995);             // paper 6.1%, grokked: disagrees
        run(root, "multiply_f0.3", List.of("multiply"), 0.3, 10000, null, 0.1, false, null, null, null); // still training
        for (int seed = 0; seed < 3; seed++) {                                    // 2 of 3 seeds grokked: the majority agrees
            Path run = scratch(root.resolve("seeds" + seed), "add_f0.5", "add", 0.5, 10000, seed < 2 ? 1000 + 500 * seed : null, 0.5);
            seed(run, seed);
        }
        Reproduction r = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals("6 cells compared: 3 agree, 2 disagree, 1 budget-limited", r.headline());
        assertEquals(1, r.running(), "the unfinished multiply run is counted, not compared");
        assertEquals(Verdict.AGREES, verdict(r, "a+b (add)", "r 0.3"));
        assertEquals(Verdict.AGREES, verdict(r, "2a+b (x_x_y)", "r 0.3"));
        assertEquals(Verdict.BUDGET_LIMITED, verdict(r, "a−b (subtract)", "r 0.3"));
        assertEquals(Verdict.DISAGREES, verdict(r, "a−b (subtract)", "r 0.4"));
        assertEquals(Verdict.DISAGREES, verdict(r, "ab+b (xy_y)", "r 0.3"));
        CellComparison add5 = cell(r, "a+b (add)", "r 0.5");
        assertEquals(Verdict.AGREES, add5.verdict());
        assertEquals("grokked 2/3 at 1250 ± 354 epochs; 1/3 did not in 10,000 epochs (best 50.0%)", add5.ours());
        assertTrue(cell(r, "a−b (subtract)", "r 0.3").why().contains("shorter than the paper's budget"), cell(r, "a−b (subtract)", "r 0.3").why());

        Path csv = root.resolve("cmp.csv");
        r.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("# 6 cells compared: 3 agree, 2 disagree, 1 budget-limited", lines.get(0));
        assertEquals(2 + 6, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Table A.5,ab+b (xy_y),r 0.3,6.1%,grokked 1/1 at 7000 epochs,1,1,disagrees,")), lines.toString());
    }

    /** A run that ended on 10,000 epochs and is being continued to 40,000: its summary is about the 10,000. */
    @Test
    void aRunBeingContinuedIsJudgedOnTheBudgetItsSummaryEndedOn(@TempDir Path root) throws IOException {
        Path run = scratch(root, "subtract_f0.3", "subtract", 0.3, 10000, null, 0.946);
        JsonObject summary = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
        JsonObject ended = new JsonObject();
        ended.addProperty("reason", "budget");
        ended.addProperty("epoch", 10000);
        summary.add("ended", ended);
        Files.writeString(run.resolve("summary.json"), summary.toString());
        edit(run, c -> c.addProperty("epochs", 40000)); // the continuation's config
        Reproduction r = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        CellComparison cell = cell(r, "a−b (subtract)", "r 0.3");
        assertEquals("1/1 did not in 10,000 epochs (best 94.6%)", cell.ours());
        assertEquals(Verdict.BUDGET_LIMITED, cell.verdict());
    }

    /** A budget-limited cell says whether its run was still climbing when the budget ran out. */
    @Test
    void aRunThatDidNotGrokTellsWhatItGainedOverItsLastFifth(@TempDir Path root) throws IOException {
        Path run = scratch(root, "x3_2y_f0.3", "x3_2y", 0.3, 10000, null, 0.159);
        StringBuilder metrics = new StringBuilder();
        for (int e = 0; e < 10000; e += 10) {
            metrics.append(String.format(java.util.Locale.ROOT, "{\"epoch\": %d, \"test_acc\": %s}%n", e, e < 8000 ? 0.14 : 0.159));
        }
        Files.writeString(run.resolve("metrics.jsonl"), metrics.toString());
        Reproduction r = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals("1/1 did not in 10,000 epochs (best 15.9%, +1.9 points from epoch 7,990 to 9,990)",
                cell(r, "a³+2b (x3_2y)", "r 0.3").ours());
    }

    /**
     * A run over p + 5 operands that {@code analyze} split by operand kind says, beside its best accuracy, where it
     * fails: at the last split checkpoint its summary covers (a continued run may have been split later).
     */
    @Test
    void aRunThatDidNotGrokTellsItsAccuracyOnNumberAndOnSymbolPairs(@TempDir Path root) throws IOException {
        Path run = scratch(root, "x2_2xy_y2_f0.3", "x2_2xy_y2", 0.3, 10000, null, 0.987);
        writeSplit(run, new int[] {0, 8000, 10000, 12000}, new double[] {0.01, 0.992, 0.993, 0.999}, new double[] {0.01, 0.922, 0.912, 0.999});
        Path grokked = scratch(root, "x2_y2_f0.3", "x2_y2", 0.3, 10000, 1690, 0.99); // a grokked run's split is not shown
        writeSplit(grokked, new int[] {1690}, new double[] {0.99}, new double[] {0.98});
        Reproduction r = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals("1/1 did not in 10,000 epochs (best 98.7%; at epoch 10,000: 99.3% on number pairs, 91.2% with a symbol operand)",
                cell(r, "(a+b)² (x2_2xy_y2)", "r 0.3").ours());
        assertEquals("grokked 1/1 at 1690 epochs", cell(r, "a²+b² (x2_y2)", "r 0.3").ours());

        // two seeds that did not grok, one of them split: the cell says nothing of the split rather than speak for both
        Path other = scratch(root.resolve("seed1"), "x2_2xy_y2_f0.3", "x2_2xy_y2", 0.3, 10000, null, 0.975);
        seed(other, 1);
        Reproduction two = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals("2/2 did not in 10,000 epochs (best 98.1 ± 0.8%)", cell(two, "(a+b)² (x2_2xy_y2)", "r 0.3").ours());
    }

    @Test
    void table1ComparesEveryFractionOfACellAndTellsSourcesAndStartsApart(@TempDir Path root) throws IOException {
        InitConfig pgE = new InitConfig("src.safetensors", List.of("embed"), List.of("embed"), null, "");
        InitConfig pgT = new InitConfig("src.safetensors", List.of("transformer"), List.of("transformer"), null, "");
        run(root, "x_x_y_add_pge", List.of("x_x_y"), 0.3, 10000, 800, 0.99, true, pgE, "add", null);       // ✓: agrees
        run(root, "xy_y_mul_pge_3", List.of("xy_y"), 0.3, 10000, null, 0.1, true, pgE, "multiply", null);  // r 0.4: none at 0.3
        run(root, "xy_y_mul_pge_4", List.of("xy_y"), 0.4, 10000, null, 0.1, true, pgE, "multiply", null);  // ...but at 0.4
        run(root, "x_x_y_mul_pge", List.of("x_x_y"), 0.3, 10000, 2000, 0.99, true, pgE, "multiply", null); // ✗ yet grokked
        run(root, "x_x_y_mul_pgt", List.of("x_x_y"), 0.3, 10000, 2000, 0.99, true, pgT, "multiply", null); // PG-T ✓: agrees
        scratch(root, "x_x_y_f0.3", "x_x_y", 0.3, 10000, null, 0.03);                                     // scratch r 0.5
        Reproduction r = Reproduction.compare(PaperTable.load("table_1"), RunOutcome.scan(List.of(root)));
        assertEquals("5 cells compared: 3 agree, 1 disagree, 1 budget-limited", r.headline());
        assertEquals(Verdict.AGREES, verdict(r, "2a+b (x_x_y)", "add PG-E"));
        assertEquals(Verdict.DISAGREES, verdict(r, "2a+b (x_x_y)", "multiply PG-E"));
        assertEquals(Verdict.AGREES, verdict(r, "2a+b (x_x_y)", "multiply PG-T"));
        assertEquals(Verdict.AGREES, verdict(r, "2a+b (x_x_y)", "scratch"));
        CellComparison xyY = cell(r, "ab+b (xy_y)", "multiply PG-E");
        assertEquals(Verdict.BUDGET_LIMITED, xyY.verdict(), "agrees at 0.3, budget-limited at 0.4");
        assertEquals(2, xyY.fractions().size());
        assertTrue(xyY.ours().startsWith("r 0.3: 1/1 did not in 10,000 epochs (best 10.0%); r 0.4: "), xyY.ours());
    }

    /** A mixture kept in a results record (curve.csv with test_acc:<task> columns, no metrics.jsonl) is judged as from its metrics. */
    @Test
    void aRecordedMixtureIsJudgedPerTaskAsItsRunWas(@TempDir Path root) throws IOException {
        Path run = run(root, "squares", List.of("x2_y2", "x2_xy_y2", "x2_2xy_y2"), 0.3, 10000, null, 0.9, true, null, null,
                Map.of("x2_y2", 1.0, "x2_xy_y2", 0.995, "x2_2xy_y2", 0.7));
        Reproduction fromMetrics = Reproduction.compare(PaperTable.load("mixtures"), RunOutcome.scan(List.of(root)));
        Files.delete(run.resolve("metrics.jsonl"));
        Files.writeString(run.resolve("curve.csv"), "epoch,train_loss,train_acc,test_loss,test_acc,test_acc:x2_y2,test_acc:x2_xy_y2,test_acc:x2_2xy_y2\n"
                + "0,4.6,0.01,4.6,0.5,0.01,0.01,0.01\n500,0.1,1.0,0.5,0.5,1.0,0.995,0.7\n");
        Reproduction fromRecord = Reproduction.compare(PaperTable.load("mixtures"), RunOutcome.scan(List.of(root)));
        assertEquals(fromMetrics.headline(), fromRecord.headline());
        CellComparison a = cell(fromMetrics, "{x2_y2, x2_xy_y2, x2_2xy_y2}", "x2_xy_y2, r 0.3");
        CellComparison b = cell(fromRecord, "{x2_y2, x2_xy_y2, x2_2xy_y2}", "x2_xy_y2, r 0.3");
        assertEquals(Verdict.AGREES, b.verdict());
        assertEquals(a.ours(), b.ours());
    }

    @Test
    void mixturesJudgeEveryTaskOrTheNamedOne(@TempDir Path root) throws IOException {
        run(root, "elementary", List.of("add", "subtract", "multiply"), 0.3, 10000, 5000, 0.995, true, null, null,
                Map.of("add", 1.0, "subtract", 0.995, "multiply", 0.99));                          // paper: no co-grokking
        run(root, "squares", List.of("x2_y2", "x2_xy_y2", "x2_2xy_y2"), 0.3, 10000, null, 0.9, true, null, null,
                Map.of("x2_y2", 1.0, "x2_xy_y2", 0.995, "x2_2xy_y2", 0.7));                         // paper: x2_xy_y2 groks
        run(root, "cubes", List.of("_x_y__3", "x3_xy"), 0.3, 10000, null, 0.8, true, null, null,
                Map.of("_x_y__3", 1.0, "x3_xy", 0.6));                                              // paper: plateau
        Reproduction r = Reproduction.compare(PaperTable.load("mixtures"), RunOutcome.scan(List.of(root)));
        assertEquals("3 cells compared: 2 agree, 1 disagree, 0 budget-limited", r.headline());
        assertEquals(Verdict.DISAGREES, verdict(r, "{add, subtract, multiply}", "every task, r 0.3"));
        assertEquals(Verdict.AGREES, verdict(r, "{x2_y2, x2_xy_y2, x2_2xy_y2}", "x2_xy_y2, r 0.3"));
        assertEquals(Verdict.AGREES, verdict(r, "{_x_y__3, x3_xy}", "every task, r 0.3"));
    }

    static Verdict verdict(Reproduction r, String row, String column) {
        return cell(r, row, column).verdict();
    }

    static CellComparison cell(Reproduction r, String row, String column) {
        return r.cells().stream().filter(c -> c.cell().row().equals(row) && c.cell().column().equals(column)).findFirst()
                .orElseThrow(() -> new AssertionError("no compared cell " + row + " / " + column + " among "
                        + r.cells().stream().map(c -> c.cell().row() + " / " + c.cell().column()).toList()));
    }

    @Test
    void runsOfAnotherSetupAreSetAsideWithTheirReasonNotCounted(@TempDir Path root) throws IOException {
        scratch(root, "add_f0.3", "add", 0.3, 10000, 3190, 0.991);
        Path small = scratch(root, "add_p11", "add", 0.3, 10000, 200, 1.0);
        Path wide = scratch(root, "multiply_wide", "multiply", 0.3, 10000, null, 0.05);
        Path opsOverP = scratch(root, "subtract_opsp", "subtract", 0.3, 10000, 900, 1.0);
        edit(small, c -> c.addProperty("p", 11));
        edit(wide, c -> c.getAsJsonObject("model").addProperty("d_model", 256));
        edit(opsOverP, c -> c.addProperty("operand_range", "p"));
        Reproduction r = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals("1 cells compared: 1 agree, 0 disagree, 0 budget-limited", r.headline(),
                "only the run in the paper's setup is compared: a multiply that never grokked at d_model 256 must not disagree");
        List<String> lines = r.setAsideLines();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("add_p11") && l.contains("p 11 (the paper's is 97)")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("multiply_wide") && l.contains("d_model 256")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("subtract_opsp") && l.contains("operands over p ")), String.join("\n", lines));
    }

    /**
     * Table 1's sources are Table A.5's add run trained on past 99%: the same draw, counted once (the longer run kept,
     * the other listed); another seed, or another weight decay, is another draw and counts.
     */
    @Test
    void runsOfOneDrawAreCountedOnceWhateverTheirBudgetOrStoppingRule(@TempDir Path root) throws IOException {
        Path stopped = scratch(root.resolve("table_a5"), "add_f0.3", "add", 0.3, 10000, 3190, 0.991);
        Path source = scratch(root.resolve("table_1"), "add_source", "add", 0.3, 10000, 3190, 1.0);
        edit(source, c -> {
            c.add("stop_test_acc", com.google.gson.JsonNull.INSTANCE);
            c.addProperty("checkpoint_every", 2000);
            c.addProperty("fourier_every", 0);
            c.addProperty("backend", "cpu");
        });
        writeEpochsRun(source, 10000);
        Reproduction once = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals("grokked 1/1 at 3190 epochs", cell(once, "a+b (add)", "r 0.3").ours());
        assertEquals(1, once.runsCompared());
        assertEquals(List.of("counted once: " + stopped + ": the same draw as " + source + ", which ran on to 10,000 epochs"),
                once.setAsideLines());

        Path otherSeed = scratch(root.resolve("seed1"), "add_f0.3", "add", 0.3, 10000, 2900, 0.992);
        seed(otherSeed, 1);
        Path otherDecay = scratch(root.resolve("wd"), "add_f0.3", "add", 0.3, 10000, 5000, 0.992);
        edit(otherDecay, c -> c.getAsJsonObject("optimizer").addProperty("weight_decay", 0.5));
        Reproduction three = Reproduction.compare(PaperTable.load("table_a5"), RunOutcome.scan(List.of(root)));
        assertEquals(3, three.runsCompared(), "another seed and another weight decay are other draws");
        assertTrue(cell(three, "a+b (add)", "r 0.3").ours().startsWith("grokked 3/3 at "), cell(three, "a+b (add)", "r 0.3").ours());
        assertEquals(1, three.sameDraws().size());
    }

    private static void seed(Path run, long seed) throws IOException {
        edit(run, c -> {
            JsonArray seeds = new JsonArray();
            seeds.add(seed);
            c.add("seeds", seeds);
        });
    }

    /** operand_split.json as {@code analyze} writes it, one entry per checkpoint. */
    private static void writeSplit(Path run, int[] epochs, double[] numbers, double[] symbols) throws IOException {
        JsonArray checkpoints = new JsonArray();
        for (int i = 0; i < epochs.length; i++) {
            JsonObject c = new JsonObject();
            c.addProperty("checkpoint", "epoch_" + epochs[i]);
            c.addProperty("epoch", epochs[i]);
            c.addProperty("number_pairs", 6600);
            c.addProperty("number_pairs_test_acc", numbers[i]);
            c.addProperty("symbol_pairs", 683);
            c.addProperty("symbol_pairs_test_acc", symbols[i]);
            checkpoints.add(c);
        }
        JsonObject root = new JsonObject();
        root.add("checkpoints", checkpoints);
        Files.writeString(run.resolve("operand_split.json"), root.toString());
    }

    private static void writeEpochsRun(Path run, int epochs) throws IOException {
        JsonObject s = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
        s.addProperty("epochs_run", epochs);
        Files.writeString(run.resolve("summary.json"), s.toString());
    }

    public static void edit(Path run, java.util.function.Consumer<JsonObject> change) throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
        change.accept(c);
        Files.writeString(run.resolve("config.json"), c.toString());
    }
}
