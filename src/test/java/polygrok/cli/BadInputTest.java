package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input, as a hostile new user would give it, through the CLI in-process: every case must
 * end with exit code 2 and one line on stderr that names the field or file at fault (the expected
 * words), no stack trace, and nothing trained. (A syntax error in JSON or in an expression may quote
 * the offending text on indented lines under it, with a caret at the column.) Cases are built from a valid config by breaking one
 * thing at a time, plus files that are not what they claim to be.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    static final String VALID = """
            {"name": "ok", "p": 7, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16},
             "epochs": 3, "eval_every": 1, "checkpoint_every": 0, "backend": "cpuref"}""";

    record Case(String name, List<String> args, List<String> expected) {
    }

    static final List<Case> CASES = new ArrayList<>();

    static Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    static void add(String name, List<String> expected, String... args) {
        CASES.add(new Case(name, List.of(args), expected));
    }

    /** A train config with one field replaced (a top-level key, or model./optimizer. nested). */
    static void config(String field, String value, String... expected) throws IOException {
        config(true, field, value, expected);
    }

    /** The same; {@code namesFile}: the error comes from reading the config, so it names the config file too. */
    static void config(boolean namesFile, String field, String value, String... expected) throws IOException {
        String json;
        if (field.startsWith("model.")) {
            json = VALID.replace("\"model\": {\"d_model\": 8, \"num_heads\": 2, \"d_mlp\": 16}", model(field.substring(6), value));
        } else if (field.startsWith("optimizer.")) {
            json = VALID.replace("\"epochs\": 3", "\"optimizer\": {\"" + field.substring(10) + "\": " + value + "}, \"epochs\": 3");
        } else if (VALID.contains("\"" + field + "\":")) {
            json = VALID.replaceAll("\"" + field + "\": [^,}]*(\\][^,}]*)?", "\"" + field + "\": " + java.util.regex.Matcher.quoteReplacement(value));
        } else {
            json = VALID.replace("\"epochs\": 3", "\"" + field + "\": " + value + ", \"epochs\": 3");
        }
        Path f = file("c" + CASES.size() + ".json", json);
        List<String> words = new ArrayList<>(List.of(expected));
        if (namesFile) {
            words.add(0, f.getFileName().toString());
        }
        add(field + " = " + value, words, "train", f.toString(), "--out", dir.resolve("runs-" + CASES.size()).toString());
    }

    static String model(String key, String value) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("d_model", "8");
        m.put("num_heads", "2");
        m.put("d_mlp", "16");
        m.put(key, value);
        StringBuilder s = new StringBuilder("\"model\": {");
        m.forEach((k, v) -> s.append(s.length() > 10 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return s.append("}").toString();
    }

    @BeforeAll
    static void cases() throws IOException, InterruptedException {
        // one field at a time
        config("p", "0", "p", "outside");
        config("p", "1", "p");
        config("p", "100000", "p");
        config("p", "\"seven\"", "p");
        config("p", "7.5", "p");
        config("ops", "[]", "ops");
        config("ops", "[\"addd\"]", "ops[0]");
        config("ops", "[\"add\", \"add\"]", "ops", "twice");
        config("ops", "\"add\"", "ops");
        config("ops", "[\"a^2 +* b\"]", "ops[0]");
        config("ops", "[\"" + "(".repeat(2000) + "a" + ")".repeat(2000) + "\"]", "ops[0]");
        config("ops", "[\"" + "-".repeat(500) + "a\"]", "ops[0]", "nested");
        config("ops", "[\"" + "a+".repeat(700) + "b\"]", "ops[0]", "characters");
        Path p2 = file("p2.json", VALID.replace("\"p\": 7", "\"p\": 2").replace("[\"add\"]", "[\"multiply_non_zero\"]"));
        add("multiply_non_zero at p 2", List.of("train_fraction", "multiply_non_zero", "no training example"), "train", p2.toString(),
                "--out", dir.resolve("runs-p2").toString());
        config("ops", "[42]", "ops");
        config("format", "\"longest\"", "format");
        config("format", "\"a % b\"", "format", "token template");
        config("format", "\"a * c =\"", "format", "leaves out b");
        config("train_fraction", "0", "train_fraction");
        config("train_fraction", "1", "train_fraction");
        config("train_fraction", "-0.5", "train_fraction");
        config(false, "train_fraction", "1e-9", "train_fraction", "no training example");
        config("train_fraction", "1.5", "train_fraction");
        config("train_fraction", "\"0.3\"", "train_fraction");
        config("operand_range", "\"p+6\"", "operand_range");
        config("operand_domain", "\"b!=0\"", "operand_domain", "b_nonzero");
        config("operand_domain", "0", "operand_domain");
        config("symmetric", "\"yes\"", "symmetric");
        config("n_mask", "-1", "n_mask");
        config("task_tokens", "1", "task_tokens");
        config("model.d_model", "0", "d_model");
        config("model.d_model", "1000000000", "d_model");
        config("model.d_model", "-8", "d_model");
        config("model.d_mlp", "2147483647", "d_mlp");
        config("model.d_mlp", "0", "d_mlp");
        config("model.num_layers", "1000000", "num_layers");
        config("model.num_layers", "0", "num_layers");
        config("model.num_heads", "3", "num_heads", "divide");
        config("model.num_heads", "0", "num_heads");
        config("model.act", "\"tanhh\"", "act");
        config("model.type", "\"rnn\"", "type");
        config("model.weight_scale", "0", "weight_scale");
        config("model.d_modle", "8", "d_modle", "d_model");
        config("optimizer.lr", "-1", "lr");
        config("optimizer.lr", "0", "lr");
        config("optimizer.lr", "\"fast\"", "lr");
        config("optimizer.weight_decay", "-1", "weight_decay");
        config("optimizer.betas", "[0.9]", "betas");
        config("optimizer.betas", "[0.9, 1.5]", "betas");
        config("optimizer.eps", "-1e-8", "eps");
        config("optimizer.lrr", "0.1", "lrr", "lr");
        config("optimizer.grad_filter", "{\"type\": \"fast\"}", "grad_filter.type", "ema, ma");
        config("optimizer.grad_filter", "{\"type\": \"ema\", \"alpha\": 1}", "grad_filter.alpha", "[0, 1)");
        config("optimizer.grad_filter", "{\"type\": \"ema\", \"lambda\": -2}", "grad_filter.lambda");
        config("optimizer.grad_filter", "{\"type\": \"ma\", \"window\": 0}", "grad_filter.window");
        config("optimizer.grad_filter", "{\"type\": \"ema\", \"lamda\": 2}", "lamda", "lambda");
        config("optimizer.grad_filter", "2", "grad_filter", "JSON object");
        config("optimizer.type", "\"sgd\"", "type", "adamw", "adam");
        config("optimizer.type", "null", "type", "null");
        config("optimizer.warmup_steps", "-1", "warmup_steps", ">= 0");
        config("optimizer.warmup_steps", "2.5", "warmup_steps");
        config("optimizer.orthogonal", "\"yes\"", "orthogonal", "true or false");
        config("optimizer.orthogonal", "null", "orthogonal", "null");
        config("batch_size", "0", "batch_size");
        config("batch_size", "-5", "batch_size");
        config("epochs", "0", "epochs");
        config("epochs", "-1", "epochs");
        config("epochs", "1e12", "epochs");
        config("eval_every", "0", "eval_every");
        config("checkpoint_every", "-1", "checkpoint_every");
        config("fourier_every", "-2", "fourier_every");
        config("seeds", "[]", "seeds");
        config("seeds", "[-1]", "seeds[0]");
        config("seeds", "[1, 1]", "seeds[1]", "twice");
        config("seeds", "\"0\"", "seeds");
        config("backend", "\"gpu\"", "backend");
        config("stop_test_acc", "-1", "stop_test_acc");
        config("stop_test_acc", "5", "stop_test_acc");
        config("stop_test_acc", "0", "stop_test_acc");
        config("stop_test_loss", "\"low\"", "stop_test_loss");
        config("name", "\"../escape\"", "name");
        config("name", "\"\"", "name");
        config("lp", "{\"p\": 0, \"alpha\": 1}", "lp.p");
        config("lp", "{\"p\": 2, \"alpha\": -1}", "lp.alpha");
        config("init", "{}", "init");
        config("init", "{\"checkpoint\": \"x.safetensors\", \"load\": [\"brain\"]}", "init.load[0]", "brain");
        config("init", "{\"checkpoint\": \"x.safetensors\", \"freeze\": [\"embed\"], \"load\": [\"unembed\"]}", "init.freeze[0]");
        config(false, "init", "{\"checkpoint\": \"{out}/x.safetensors\"}", "init.checkpoint", "{out}");
        config(false, "init", "{\"checkpoint\": \"" + dir.resolve("missing.safetensors") + "\"}", "init.checkpoint", "missing.safetensors");
        config("unknown_field", "1", "unknown_field", "unknown field");
        config("epocs", "5", "epocs", "epochs");

        // JSON that is not (strict) JSON
        String[][] json = {
                {"{", "malformed JSON"}, {"", "malformed JSON"}, {"[]", "JSON object"}, {"null", "JSON object"},
                {"{\"ops\": [\"add\"],}", "malformed JSON"}, {"{'ops': ['add']}", "malformed JSON"},
                {"{\"ops\": [\"add\"]} {}", "more content"}, {"{\"ops\": [\"add\"], \"p\": 7, \"p\": 11}", "p", "twice"},
                {"{\"ops\": [\"add\"], \"model\": {\"d_model\": 8, \"d_model\": 16}}", "model.d_model", "twice"},
                {"// comment\n{\"ops\": [\"add\"]}", "malformed JSON"}, {"{\"ops\": [\"add\"], \"p\": NaN}", "malformed JSON"},
                {"{\"ops\": [\"add\"], \"model\": " + "{\"a\": ".repeat(40) + "1" + "}".repeat(40) + "}", "deeper"},
        };
        for (String[] j : json) {
            Path f = file("j" + CASES.size() + ".json", j[0]);
            List<String> words = new ArrayList<>(List.of(j).subList(1, j.length));
            words.add(0, f.getFileName().toString());
            add("json " + j[0].substring(0, Math.min(30, j[0].length())), words, "train", f.toString());
        }
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, "{\"name\": \"caf\u00e9\", \"ops\": [\"add\"]}".getBytes(StandardCharsets.ISO_8859_1));
        add("invalid UTF-8", List.of("latin1.json", "UTF-8"), "train", latin1.toString());

        // files that are not what they claim
        add("missing config", List.of("nope.json", "no such"), "train", dir.resolve("nope.json").toString());
        Path sub = Files.createDirectories(dir.resolve("adir.json"));
        add("directory as config", List.of("adir.json", "directory"), "train", sub.toString());
        Path fifo = dir.resolve("fifo.json");
        boolean haveFifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0;
        if (haveFifo) {
            add("FIFO as config", List.of("fifo.json", "not a regular file"), "train", fifo.toString());
        }
        Path valid = file("valid.json", VALID);
        byte[] ckpt = checkpoint(valid);
        Path torn = dir.resolve("torn.safetensors");
        Files.write(torn, java.util.Arrays.copyOf(ckpt, ckpt.length / 2));
        Path badHeader = dir.resolve("header.safetensors");
        Files.write(badHeader, concat(le(10), "{not json}".getBytes(StandardCharsets.UTF_8)));
        Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        Path ints32 = dir.resolve("ints32.safetensors");
        Files.write(ints32, intCheckpoint(checkpoint(file("valid_cpu.json", VALID.replace("cpuref", "cpu")))));
        config(false, "init", "{\"checkpoint\": \"" + ints32 + "\", \"load\": [\"embed\"]}", "ints32.safetensors", "stored as I32");
        Path ints = dir.resolve("ints.safetensors");
        Files.write(ints, intCheckpoint(ckpt));
        for (Path p : List.of(torn, badHeader, empty, ints, sub)) {
            String name = p.getFileName().toString();
            config(false, "init", "{\"checkpoint\": \"" + p + "\", \"load\": [\"embed\"]}", name);
            add("analyze " + name, List.of(name), "analyze", p.toString());
        }
        if (haveFifo) {
            config(false, "init", "{\"checkpoint\": \"" + fifo + "\", \"load\": [\"embed\"]}", "fifo.json", "not a regular file");
        }
        config(false, "init", "{\"checkpoint\": \"" + dir + "/wrongshape.safetensors\", \"load\": [\"full\"]}", "wrongshape.safetensors",
                "d_model");
        Files.write(dir.resolve("wrongshape.safetensors"), checkpoint(file("wide.json", VALID.replace("\"d_model\": 8", "\"d_model\": 16"))));

        // PyTorch checkpoints that are not what they claim
        Path pth = Path.of("src/test/resources/pth").toAbsolutePath();
        Path notZip = file("notes.pth", "hello");
        byte[] good = Files.readAllBytes(pth.resolve("0.pth"));
        Path tornPth = dir.resolve("torn.pth");
        Files.write(tornPth, java.util.Arrays.copyOf(good, good.length / 2));
        for (Path p : List.of(pth.resolve("evil.pth"), pth.resolve("legacy.pth"), notZip, tornPth)) {
            String name = p.getFileName().toString();
            config(false, "init", "{\"checkpoint\": \"" + p + "\", \"load\": [\"embed\"]}", name);
            add("convert " + name, List.of(name), "convert", p.toString(), dir.resolve("out.safetensors").toString());
        }
        add("convert evil says refused", List.of("evil.pth", "refused", "system"), "convert", pth.resolve("evil.pth").toString(),
                dir.resolve("out.safetensors").toString());
        add("convert legacy says how", List.of("legacy.pth", "legacy", "torch.save"), "convert", pth.resolve("legacy.pth").toString(),
                dir.resolve("out.safetensors").toString());
        Path widePth = file("wide_pth.json", VALID.replace("\"d_model\": 8", "\"d_model\": 16").replace("\"backend\"",
                "\"init\": {\"checkpoint\": \"" + pth.resolve("3.pth") + "\", \"load\": [\"full\"]}, \"backend\""));
        add("a .pth of another shape", List.of("3.pth", "d_model"), "train", widePth.toString(), "--out", dir.resolve("runs-wide").toString());
        Path origDir = Files.createDirectories(dir.resolve("orig_run"));
        Files.copy(pth.resolve("0.pth"), origDir.resolve("0.pth"));
        add("analyze an original run without --op", List.of("orig_run", "--op"), "analyze", origDir.toString());
        add("convert an original run without --op", List.of("orig_run", "--op"), "convert", origDir.toString(), dir.resolve("o").toString());

        // command-line flags
        add("unknown option", List.of("--frobnicate"), "train", valid.toString(), "--frobnicate");
        add("unknown command", List.of("trian"), "trian");
        add("--epochs not a number", List.of("--epochs"), "train", valid.toString(), "--epochs", "many");
        add("--seed negative", List.of("seeds[0]"), "train", valid.toString(), "--seed", "-3");
        add("--train-fraction 2", List.of("train_fraction"), "train", valid.toString(), "--train-fraction", "2");
        add("--backend tpu", List.of("backend"), "train", valid.toString(), "--backend", "tpu");
        add("--stop-at-test-acc -1", List.of("stop_test_acc"), "train", valid.toString(), "--stop-at-test-acc", "-1");
        add("--stop-at-test-acc 5", List.of("stop_test_acc"), "train", valid.toString(), "--stop-at-test-acc", "5");
        add("--stop-at-test-acc NaN", List.of("stop_test_acc"), "train", valid.toString(), "--stop-at-test-acc", "NaN");
        add("--resume and --overwrite", List.of("--resume", "--overwrite"), "train", valid.toString(), "--resume", "--overwrite");
        Path sweep = file("sweep.json", "{\"name\": \"s\", \"base\": \"valid.json\", \"axes\": {\"seeds\": [0, 1]}}");
        add("--shards -1", List.of("--shards -1 must be at least 1"), "sweep", sweep.toString(), "--shards", "-1");
        add("--shard 3/2", List.of("shard 3/2"), "sweep", sweep.toString(), "--shard", "3/2", "--dry-run");
        add("--shard x", List.of("--shard"), "sweep", sweep.toString(), "--shard", "x", "--dry-run");
        add("--models-per-launch 0", List.of("--models-per-launch"), "sweep", sweep.toString(), "--models-per-launch", "0", "--dry-run");
        add("--stage unknown", List.of("--stage"), "sweep", sweep.toString(), "--stage", "nope", "--dry-run");
        String[][] sweeps = {
                {"{\"name\": \"s\"}", "base"}, {"{\"name\": \"s\", \"base\": \"missing.json\"}", "missing.json"},
                {"{\"name\": \"s\", \"base\": \"valid.json\", \"axes\": {\"opz\": [\"add\"]}}", "opz"},
                {"{\"name\": \"s\", \"base\": \"valid.json\", \"axes\": {\"train_fraction\": [1.5]}}", "train_fraction"},
                {"{\"name\": \"s\", \"base\": \"valid.json\", \"axes\": {\"lr\": [-1]}}", "axes.lr"},
                {"{\"name\": \"s\", \"base\": \"valid.json\", \"axes\": {\"ops\": [\"nope\"]}}", "nope"},
                {"{\"name\": \"s\", \"base\": \"valid.json\", \"models_per_launch\": 0}", "models_per_launch"},
                {"{\"name\": \"s\", \"stages\": []}", "stages"},
                {"{\"name\": \"s\", \"stages\": [{\"base\": \"valid.json\"}]}", "stages[0]", "name"},
                {"{\"name\": \"s\", \"stages\": [{\"name\": \"a\", \"base\": \"valid.json\"}, {\"name\": \"a\", \"base\": \"valid.json\"}]}", "stages[1].name"},
                {"{\"name\": \"s\", \"stages\": {}}", "stages"},
                {"{\"name\": \"s\", \"base\": \"valid.json\", \"axes\": {\"init_checkpoint\": {\"a b\": \"x\"}}}", "init_checkpoint"},
        };
        for (String[] s : sweeps) {
            Path f = file("s" + CASES.size() + ".json", s[0]);
            List<String> words = new ArrayList<>(List.of(s).subList(1, s.length));
            words.add(0, f.getFileName().toString());
            add("sweep " + s[0].substring(0, Math.min(40, s[0].length())), words, "sweep", f.toString(), "--dry-run");
        }

        // other commands
        add("data unknown op", List.of("unknown operation", "nope"), "data", "--op", "nope");
        add("data p 1", List.of("p"), "data", "--op", "add", "--p", "1");
        add("data --print both", List.of("--print"), "data", "--op", "add", "--print", "both");
        add("data train fraction 0", List.of("train_fraction"), "data", "--op", "add", "--train-fraction", "0");
        add("analyze missing directory", List.of("no-such-run"), "analyze", dir.resolve("no-such-run").toString());
        add("analyze a run without checkpoints", List.of("adir.json"), "analyze", sub.toString());
        Path nanRun = nanRun(ckpt);
        add("analyze NaN weights", List.of("non-finite"), "analyze", nanRun.toString());
        add("report no runs", List.of("no-such"), "report", dir.resolve("no-such").toString());
        add("report --against nothing", List.of("--against"), "report", dir.toString(), "--against", "table_9");
        if (haveFifo) {
            add("report -o FIFO", List.of("fifo.json", "not a regular file"), "report", lastRuns.toString(), "-o", fifo.toString());
        }
        add("report -o directory", List.of("adir.json", "directory"), "report", lastRuns.toString(), "-o", sub.toString());
        add("gradcheck reference missing", List.of("nothing.safetensors"), "gradcheck", "--reference", dir.resolve("nothing.safetensors").toString());
        add("gradcheck reference torn", List.of("torn.safetensors"), "gradcheck", "--reference", torn.toString());
        add("bench bad models", List.of("--models"), "bench", "--config", valid.toString(), "--models", "0");
        add("finetune no checkpoint", List.of("missing.safetensors"), "finetune", valid.toString(), "--checkpoint",
                dir.resolve("missing.safetensors").toString(), "--load", "embed");
        add("finetune bad component", List.of("brain"), "finetune", valid.toString(), "--checkpoint", torn.toString(), "--load", "brain");
    }

    /** A real checkpoint of the valid config (trained for one epoch) as bytes. */
    static Path lastRuns;

    static byte[] checkpoint(Path config) throws IOException {
        Path out = dir.resolve("ck-" + System.nanoTime());
        lastRuns = out;
        int code = Main.commandLine().execute("train", config.toString(), "--out", out.toString(), "--epochs", "1");
        assertEquals(0, code, "training the fixture");
        try (Stream<Path> s = Files.walk(out)) {
            return Files.readAllBytes(s.filter(p -> p.getFileName().toString().equals("final.safetensors")).findFirst().orElseThrow());
        }
    }

    /** The same file with every tensor's dtype renamed F64 -> I64 (same byte size): weights stored as integers. */
    static byte[] intCheckpoint(byte[] ckpt) {
        long n = java.nio.ByteBuffer.wrap(ckpt, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(ckpt, 8, (int) n, StandardCharsets.UTF_8).replace("\"F64\"", "\"I64\"").replace("\"F32\"", "\"I32\"");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        assertEquals(n, h.length);
        byte[] out = ckpt.clone();
        System.arraycopy(h, 0, out, 8, h.length);
        return out;
    }

    static Path nanRun(byte[] ckpt) throws IOException {
        Path run = Files.createDirectories(dir.resolve("nanruns/nan/seed_0/checkpoints"));
        long n = java.nio.ByteBuffer.wrap(ckpt, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] bad = ckpt.clone();
        for (int i = 8 + (int) n; i + 8 <= bad.length; i += 8) { // float64 NaN everywhere (cpuref writes F64)
            java.nio.ByteBuffer.wrap(bad, i, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN);
        }
        Files.write(run.resolve("final.safetensors"), bad);
        Files.writeString(run.getParent().resolve("metrics.jsonl"), "{\"epoch\": 0, \"train_loss\": 1.0, \"test_loss\": 1.0, "
                + "\"train_acc\": 0.5, \"test_acc\": 0.5, \"train_prob\": 0.1, \"test_prob\": 0.1}\n");
        Files.writeString(run.getParent().resolve("config.json"), polygrok.config.ConfigLoader.toJson(
                polygrok.config.ConfigLoader.parse(VALID, "valid.json")));
        return run.getParent();
    }

    static byte[] le(long v) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedInputEndsWithOneClearLineAndExitCode2() {
        assertTrue(CASES.size() >= 100, "at least 100 malformed inputs, got " + CASES.size());
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> CliHarness.assertRefused(c.name(), c.args(), c.expected(), dir)));
    }
}
