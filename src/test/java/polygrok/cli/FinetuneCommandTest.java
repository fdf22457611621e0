package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;
import polygrok.io.Safetensors;

/** `polygrok finetune`: flags into the init section, run names, errors, and a small transfer end to end. */
class FinetuneCommandTest {

    /**
     * A smaller variant of configs/quick/add.json (p 13 instead of 23, d_model 32 instead of 64, lr 0.02,
     * fraction 0.8): quick add needs ~1000 epochs to reach 99% test accuracy on cpuref, this one ~120.
     */
    static final String SMALL = """
            {"name": "small_%s", "p": 13, "ops": ["%s"], "train_fraction": 0.8,
             "model": {"type": "transformer", "d_model": 32, "num_layers": 1, "num_heads": 4, "d_mlp": 128},
             "optimizer": {"lr": 0.02, "weight_decay": 1.0, "betas": [0.9, 0.98]},
             "epochs": %d, "eval_every": 10, "checkpoint_every": 0, "seeds": [0], "backend": "cpuref"}
            """;

    static Path write(Path dir, String op, int epochs) throws IOException {
        Path f = dir.resolve("small_" + op + ".json");
        Files.writeString(f, SMALL.formatted(op, op, epochs));
        return f;
    }

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), err.toString());
    }

    private static ExperimentConfig resolve(String... args) {
        FinetuneCommand command = new FinetuneCommand();
        new CommandLine(command).parseArgs(args);
        return command.resolved();
    }

    private static JsonObject summary(Path out, String name) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve(name).resolve("seed_0/summary.json"))).getAsJsonObject();
    }

    private static Integer epochsTo(JsonObject summary, String threshold) {
        JsonElement e = summary.getAsJsonObject("epochs_to_acc").get(threshold);
        return e == null || e.isJsonNull() ? null : e.getAsInt();
    }

    @Test
    void aGrokkedAddEmbeddingFrozenHelpsSubtract(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("runs");
        // pre-train until grokked: 99% test accuracy (~120 epochs), at most 200
        Result pre = run("train", write(dir, "add", 200).toString(), "--out", out.toString(), "--stop-at-test-acc", "0.99");
        assertEquals(0, pre.code(), "pre-training exit code; stderr: " + pre.err());
        JsonObject preSummary = summary(out, "small_add");
        assertNotNull(epochsTo(preSummary, "0.99"), "small add should grok (99% test accuracy) in 200 epochs: " + preSummary);

        Path ckpt = out.resolve("small_add/seed_0/checkpoints/final.safetensors");
        Path subtract = write(dir, "subtract", 60);
        Result ft = run("finetune", subtract.toString(), "--checkpoint", ckpt.toString(), "--load", "embed", "--freeze", "embed",
                "--out", out.toString());
        assertEquals(0, ft.code(), "fine-tuning exit code; stderr: " + ft.err());
        Result scratch = run("train", subtract.toString(), "--out", out.toString());
        assertEquals(0, scratch.code(), "from-scratch exit code; stderr: " + scratch.err());

        String ftName = "small_subtract_ft_load_embed_frozen_embed";
        double[] loaded = Safetensors.read(ckpt).tensor("embed.W_E").values();
        double[] after = Safetensors.read(out.resolve(ftName + "/seed_0/checkpoints/final.safetensors")).tensor("embed.W_E").values();
        for (int i = 0; i < loaded.length; i++) {
            assertEquals(Double.doubleToRawLongBits(loaded[i]), Double.doubleToRawLongBits(after[i]),
                    "frozen embed.W_E[" + i + "]: loaded " + loaded[i] + ", after fine-tuning " + after[i]);
        }
        // measured: the frozen add embedding gives 50% test accuracy on subtract by epoch 30 (~68% by 60), while
        // from scratch the same 60 epochs stay near chance (1/13): the embedding's Fourier features carry over
        JsonObject ftSummary = summary(out, ftName), scratchSummary = summary(out, "small_subtract");
        double ftAcc = ftSummary.get("best_test_acc").getAsDouble(), scratchAcc = scratchSummary.get("best_test_acc").getAsDouble();
        assertNotNull(epochsTo(ftSummary, "0.5"), "fine-tuned subtract should reach 50% test accuracy in 60 epochs: " + ftSummary);
        assertTrue(ftAcc > scratchAcc + 0.3, "best test accuracy in 60 epochs: fine-tuned " + ftAcc + " vs from scratch " + scratchAcc);
    }

    @Test
    void flagsFillTheInitSectionAndNameTheRun(@TempDir Path dir) throws IOException {
        Path config = write(dir, "subtract", 10);
        ExperimentConfig c = resolve(config.toString(), "--checkpoint", "pre/final.safetensors", "--load", "embed,transformer",
                "--freeze", "embed", "--key-prefix", "param.", "--epochs", "7", "--seed", "3");
        assertEquals(new InitConfig("pre/final.safetensors", List.of("embed", "transformer"), List.of("embed"), List.of(), "param."),
                c.init(), "init from the flags");
        assertEquals("small_subtract_ft_load_embed+transformer_frozen_embed", c.name(), "derived run name");
        assertEquals(7, c.epochs(), "--epochs from the shared train options");
        assertEquals(List.of(3L), c.seeds(), "--seed from the shared train options");

        ExperimentConfig repeated = resolve(config.toString(), "--checkpoint", "x.safetensors", "--load", "embed", "--load", "unembed");
        assertEquals(List.of("embed", "unembed"), repeated.init().load(), "--load repeated");
        assertEquals("small_subtract_ft_load_embed+unembed", repeated.name(), "name without freezing");

        ExperimentConfig full = resolve(config.toString(), "--checkpoint", "x.safetensors", "--name", "mine");
        assertEquals(List.of("full"), full.init().load(), "load defaults to full");
        assertEquals("mine", full.name(), "--name");

        ExperimentConfig random = resolve(config.toString(), "--freeze-random", "embed");
        assertNull(random.init().checkpoint(), "no checkpoint for a random frozen embedding");
        assertEquals("small_subtract_ft_random_embed", random.name(), "name of a random frozen run");
    }

    @Test
    void aConfigWithItsOwnInitKeepsItsNameAndTakesFlagsFieldByField(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("transfer.json");
        Files.writeString(config, SMALL.formatted("subtract", "subtract", 10).replace("\"backend\": \"cpuref\"",
                "\"backend\": \"cpuref\", \"init\": {\"checkpoint\": \"a.safetensors\", \"load\": [\"embed\"], \"freeze\": [\"embed\"]}"));
        ExperimentConfig same = resolve(config.toString());
        assertEquals("small_subtract", same.name(), "no flags: the config as it is, like train");
        assertEquals(new InitConfig("a.safetensors", List.of("embed"), List.of("embed"), null, null), same.init(), "the config's init");

        ExperimentConfig other = resolve(config.toString(), "--checkpoint", "b.safetensors");
        assertEquals(new InitConfig("b.safetensors", List.of("embed"), List.of("embed"), null, null), other.init(),
                "--checkpoint replaces only the checkpoint");
        assertEquals("small_subtract_ft_load_embed_frozen_embed", other.name(), "a changed init gets its own run name");
    }

    @Test
    void badFlagsAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path config = write(dir, "subtract", 10);
        UserError none = assertThrows(UserError.class, () -> resolve(config.toString()));
        assertTrue(none.getMessage().contains("--checkpoint PATH"), none.getMessage());

        UserError typo = assertThrows(UserError.class, () -> resolve(config.toString(), "--checkpoint", "x", "--load", "embedding"));
        assertTrue(typo.getMessage().contains("init.load[0]") && typo.getMessage().contains("\"embedding\" is not a component")
                && typo.getMessage().contains("did you mean \"embed\"") && typo.getMessage().contains("--load"), typo.getMessage());

        UserError notLoaded = assertThrows(UserError.class,
                () -> resolve(config.toString(), "--checkpoint", "x", "--load", "embed", "--freeze", "transformer"));
        assertTrue(notLoaded.getMessage().contains("init.freeze[0]") && notLoaded.getMessage().contains("not loaded"), notLoaded.getMessage());

        Result missing = run("finetune", config.toString(), "--checkpoint", dir.resolve("absent.safetensors").toString(),
                "--out", dir.resolve("runs").toString());
        assertEquals(2, missing.code(), "exit code of a missing checkpoint; stderr: " + missing.err());
        assertTrue(missing.err().startsWith("polygrok: init.checkpoint: no such file") && missing.err().contains("absent.safetensors")
                && missing.err().strip().lines().count() == 1, "one line naming the file: " + missing.err());
    }
}
