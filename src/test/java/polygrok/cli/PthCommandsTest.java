package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;
import polygrok.io.torch.TorchCheckpoint;

/** The original code's .pth files through the CLI: convert, fine-tune from one, analyze and report a directory of them. */
class PthCommandsTest {
    static final Path PTH = Path.of("src/test/resources/pth");

    @Test
    void aPthConvertsToSafetensorsWithTheSameValues(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("3.safetensors");
        SweepCommandTest.run("convert", PTH.resolve("3.pth").toString(), out.toString());
        SafetensorsFile converted = Safetensors.read(out);
        SafetensorsFile direct = TorchCheckpoint.read(PTH.resolve("3.pth")).toSafetensors();
        assertEquals(direct.tensors().keySet(), converted.tensors().keySet());
        for (String k : direct.tensors().keySet()) {
            assertArrayEquals(direct.tensor(k).values(), converted.tensor(k).values(), 0.0, k);
        }
        assertEquals("3", converted.metadata().get("epoch"));
        assertEquals("4", converted.metadata().get("step"), "four AdamW steps had been taken");
    }

    @Test
    void aRunFineTunesFromAPth(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("from_pth.json");
        Files.writeString(config, """
                {"name": "from_pth", "p": 7, "ops": ["subtract"], "train_fraction": 0.5, "operand_range": "p+5",
                 "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16}, "epochs": 2, "eval_every": 1, "checkpoint_every": 0,
                 "backend": "cpuref", "init": {"checkpoint": "%s", "load": ["embed"], "freeze": ["embed"]}}"""
                .formatted(PTH.resolve("3.pth").toAbsolutePath()));
        SweepCommandTest.run("train", config.toString(), "--out", tmp.resolve("runs").toString());
        SafetensorsFile run = Safetensors.read(tmp.resolve("runs/from_pth/seed_0/checkpoints/final.safetensors"));
        double[] expected = TorchCheckpoint.read(PTH.resolve("3.pth")).model().get("embed.W_E").values();
        assertArrayEquals(expected, run.tensor("embed.W_E").values(), 0.0, "the frozen embedding is the .pth's, bit for bit");
        String recorded = Files.readString(tmp.resolve("runs/from_pth/seed_0/config.json"));
        assertTrue(recorded.contains("init_checkpoint_sha256"), recorded);
    }

    @Test
    void aDirectoryOfTheOriginalScriptIsAnalysedAndReported(@TempDir Path tmp) throws IOException {
        Path orig = Files.createDirectories(tmp.resolve("add_run"));
        for (String f : List.of("init.pth", "0.pth", "3.pth")) {
            Files.copy(PTH.resolve(f), orig.resolve(f));
        }
        String out = SweepCommandTest.run("analyze", orig.toString(), "--op", "add", "--no-ablation");
        Path imported = orig.resolve("polygrok");
        assertTrue(out.contains("imported") && Files.exists(imported.resolve("analysis.json")), out);
        assertTrue(Files.exists(imported.resolve("checkpoints/epoch_4.safetensors")), "3.pth is the state after 4 epochs");
        String config = Files.readString(imported.resolve("config.json"));
        assertTrue(config.contains("\"p\": 7") && config.contains("\"operand_range\": \"p+5\"") && config.contains("\"train_fraction\": 0.5"),
                "p, operand range and train fraction inferred from the files: " + config);
        SweepCommandTest.run("report", imported.toString(), "-o", tmp.resolve("r.html").toString());
        assertTrue(Files.size(tmp.resolve("r.html")) > 1000);
    }

    @Test
    void loadOptimizerTakesAdamWsMomentsAndStepFromThePth(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("continue.json");
        Files.writeString(config, """
                {"name": "continue", "p": 7, "ops": ["add"], "train_fraction": 0.5, "operand_range": "p+5",
                 "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16}, "epochs": 1, "eval_every": 1, "checkpoint_every": 0,
                 "backend": "cpuref", "init": {"checkpoint": "%s", "load": ["full"], "load_optimizer": true}}"""
                .formatted(PTH.resolve("3.pth").toAbsolutePath()));
        SweepCommandTest.run("train", config.toString(), "--out", tmp.resolve("runs").toString());
        SafetensorsFile start = Safetensors.read(tmp.resolve("runs/continue/seed_0/checkpoints/init.safetensors"));
        TorchCheckpoint pth = TorchCheckpoint.read(PTH.resolve("3.pth"));
        for (String name : List.of("embed.W_E", "blocks.0.attn.W_K", "blocks.0.mlp.W_out", "unembed.W_U")) {
            assertArrayEquals(pth.moment1().get(name).values(), start.tensor("opt.m." + name).values(), 0.0, "exp_avg of " + name);
            assertArrayEquals(pth.moment2().get(name).values(), start.tensor("opt.v." + name).values(), 0.0, "exp_avg_sq of " + name);
        }
        assertEquals("4", start.metadata().get("step"), "AdamW's step count continues from the .pth's");
    }
}
