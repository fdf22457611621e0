package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `polygrok sweep` end to end on cpuref: two shards, then the table; a dry run trains nothing. */
class SweepCommandTest {
    static final String SWEEP = """
            {"name": "cli_sweep",
             "base": {"p": 7, "ops": ["add"], "train_fraction": 0.6,
                      "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16},
                      "epochs": 50, "eval_every": 1, "checkpoint_every": 0, "fourier_every": 2, "backend": "cpuref"},
             "axes": {"ops": ["add", "subtract"], "seeds": [0, 1]}}""";

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            assertEquals(0, code, "exit code of polygrok " + String.join(" ", args) + "; output: " + buf);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void twoShardsTrainEveryRunOnceAndWriteTheTable(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("cli_sweep.json");
        Files.writeString(file, SWEEP);
        Path out = tmp.resolve("out");
        String dry = run("sweep", file.toString(), "--out", out.toString(), "--models-per-launch", "1", "--shard", "1/2", "--dry-run");
        assertTrue(dry.contains("4 run(s) in 4 group(s) of up to 1") && dry.contains("shard 1/2 trains 2 group(s), 2 run(s)"), dry);
        assertTrue(dry.contains("add/seed_1  (new)") && dry.contains("subtract/seed_1  (new)"), "shard 1/2 takes groups 1 and 3: " + dry);
        assertFalse(Files.exists(out.resolve("cli_sweep")), "a dry run writes nothing");

        String first = run("sweep", file.toString(), "--out", out.toString(), "--models-per-launch", "1", "--shard", "0/2", "--epochs", "4");
        Path dir = out.resolve("cli_sweep");
        assertTrue(Files.exists(dir.resolve("add/seed_0/summary.json")), first);
        assertTrue(Files.exists(dir.resolve("subtract/seed_0/summary.json")), first);
        assertFalse(Files.exists(dir.resolve("add/seed_1")), "shard 0/2 leaves seed 1's groups to shard 1: " + first);

        run("sweep", file.toString(), "--out", out.toString(), "--models-per-launch", "1", "--shard", "1/2", "--epochs", "4");
        for (String r : List.of("add/seed_0", "add/seed_1", "subtract/seed_0", "subtract/seed_1")) {
            assertTrue(Files.exists(dir.resolve(r).resolve("summary.json")), r + " finished");
        }
        List<String> csv = Files.readAllLines(dir.resolve("table.csv"));
        assertEquals(3, csv.size(), "header, add, subtract: " + csv);
        assertTrue(csv.get(1).startsWith("add,add,7,0.6,0.001,1,0 1,2,0,"), csv.get(1));
        String[] cells = csv.get(1).split(",", -1);
        assertTrue(!cells[15].isEmpty() && !cells[17].isEmpty(), "FFD and FCR at the end, logged every 2 epochs: " + csv.get(1));
        assertTrue(Files.readString(dir.resolve("add/seed_0/metrics.jsonl")).contains("\"ffd\""), "the sweep logs FFD as train does");
        assertTrue(Files.readString(dir.resolve("sweep.json")).contains("\"points\""), "the plan file lists the points");

        String again = run("sweep", file.toString(), "--out", out.toString(), "--models-per-launch", "1", "--epochs", "4", "--dry-run");
        assertEquals(4, again.split("finished, skipped", -1).length - 1, "every run is finished now: " + again);
    }

    static final String STAGED = """
            {"name": "staged", "stages": [
              {"name": "sources",
               "base": {"p": 7, "ops": ["add"], "train_fraction": 0.6, "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16},
                        "epochs": 6, "eval_every": 2, "checkpoint_every": 0, "backend": "cpuref"},
               "axes": {"ops": ["add"], "seeds": [0, 1]}},
              {"name": "pg_e",
               "base": {"p": 7, "ops": ["subtract"], "train_fraction": 0.6, "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16},
                        "epochs": 6, "eval_every": 2, "checkpoint_every": 0, "backend": "cpuref",
                        "init": {"checkpoint": "unused.safetensors", "load": ["embed"], "freeze": ["embed"]}},
               "axes": {"ops": ["subtract"], "seeds": [0, 1],
                        "init_checkpoint": {"add": "{out}/sources/add/seed_{seed}/checkpoints/final.safetensors"}}}]}""";

    @Test
    void stagesRunInOrderAndALaterStageStartsFromAnEarlierOnesRuns(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("staged.json");
        Files.writeString(file, STAGED);
        Path out = tmp.resolve("out");
        String dry = run("sweep", file.toString(), "--out", out.toString(), "--dry-run");
        assertTrue(dry.startsWith("sweep staged: 4 run(s) in 2 stages, run in order, at most 24 model-epochs"), dry);
        assertTrue(dry.contains("stage pg_e: 1 point(s), 2 run(s)") && dry.contains("subtract_init-add/seed_1  (new)"), dry);

        String trained = run("sweep", file.toString(), "--out", out.toString(), "--stop-at-test-acc", "0.999");
        Path pgE = out.resolve("staged/pg_e/subtract_init-add/seed_1");
        assertTrue(Files.exists(pgE.resolve("summary.json")), trained);
        com.google.gson.JsonObject config = com.google.gson.JsonParser.parseString(Files.readString(pgE.resolve("config.json"))).getAsJsonObject();
        assertEquals(0.999, config.get("stop_test_acc").getAsDouble(), 0.0, "the flag is recorded in each run's config");
        com.google.gson.JsonObject provenance = config.getAsJsonObject("provenance");
        assertEquals(out.resolve("staged/sources/add/seed_1/checkpoints/final.safetensors").toString(),
                provenance.get("init_checkpoint").getAsString(), "{out} is the file's output directory, {seed} the run's seed");
        assertEquals("[\"add\"]", provenance.get("init_source_ops").toString(), "the source's operations, read from its checkpoint");
        assertEquals(6, provenance.get("init_source_epoch").getAsInt());
    }

    @Test
    void aNonsenseStopAccuracyIsRefusedNamingTheField(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("cli_sweep.json");
        Files.writeString(file, SWEEP);
        for (String bad : List.of("0", "1.5", "-0.2", "NaN")) {
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = Main.commandLine().execute("sweep", file.toString(), "--out", tmp.resolve("out").toString(),
                        "--stop-at-test-acc", bad, "--dry-run");
            } finally {
                System.setErr(old);
            }
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(code != 0, bad + " was accepted");
            assertTrue(message.contains("stop_test_acc") && message.contains("(0, 1]"), bad + ": " + message);
        }
    }

    @Test
    void aLargerBudgetContinuesRunsThatEndedOnTheirsAndLeavesTheRest(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("cli_sweep.json");
        Files.writeString(file, SWEEP);
        Path out = tmp.resolve("out");
        run("sweep", file.toString(), "--out", out.toString(), "--epochs", "4");
        String again = run("sweep", file.toString(), "--out", out.toString(), "--epochs", "4", "--dry-run");
        assertEquals(4, again.split("finished, skipped", -1).length - 1, "the same budget: every run is finished: " + again);
        run("sweep", file.toString(), "--out", out.toString(), "--epochs", "7");
        for (String r : List.of("add/seed_0", "add/seed_1", "subtract/seed_0", "subtract/seed_1")) {
            com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(
                    Files.readString(out.resolve("cli_sweep").resolve(r).resolve("summary.json"))).getAsJsonObject();
            assertEquals(7, summary.get("epochs_run").getAsInt(), r + " continued to the larger budget");
        }
    }
}
