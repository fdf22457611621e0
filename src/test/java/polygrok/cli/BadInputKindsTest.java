package polygrok.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinds of bad input beyond {@link BadInputTest}'s field-by-field list, each with several instances:
 * damaged pickles inside a .pth (lengths past the end, structures no state dict has). Every case must
 * end as {@link CliHarness#assertRefused} says: exit 2, one line naming the file, no Java in it.
 */
class BadInputKindsTest {
    @TempDir
    static Path dir;

    record Case(String name, List<String> args, List<String> expected) {
    }

    static final List<Case> CASES = new ArrayList<>();
    static final Path PTH = Path.of("src/test/resources/pth").toAbsolutePath();

    static void add(String name, List<String> expected, String... args) {
        CASES.add(new Case(name, List.of(args), expected));
    }

    /** 0.pth with its data.pkl replaced by {@code pickle} (hex, spaces ignored). */
    static Path pthWithPickle(String name, String pickleHex) throws IOException {
        byte[] pickle = HexFormat.of().parseHex(pickleHex.replace(" ", ""));
        Path out = dir.resolve(name + ".pth");
        try (ZipFile in = new ZipFile(PTH.resolve("0.pth").toFile()); OutputStream os = Files.newOutputStream(out);
             ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().endsWith("data.pkl")) {
                    zip.write(pickle);
                } else {
                    try (InputStream is = in.getInputStream(entry)) {
                        is.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
        }
        return out;
    }

    /** A damaged pickle, tried through `convert` and as a fine-tuning checkpoint of `finetune`. */
    static void pickle(String name, String hex, String... words) throws IOException {
        Path f = pthWithPickle(name, hex);
        List<String> expected = new ArrayList<>(List.of(f.getFileName().toString()));
        expected.addAll(List.of(words));
        add("convert " + name, expected, "convert", f.toString(), dir.resolve(name + ".safetensors").toString());
        add("analyze " + name, List.of(f.getFileName().toString()), "analyze", f.toString());
    }

    interface Damage {
        void apply(Path run) throws IOException;
    }

    /** A copy of run {@code good} damaged one way, then `analyze` of it: the line names {@code words}. */
    static void analyze(String name, Path good, Damage damage, String... words) throws IOException {
        Path run = dir.resolve("damaged-" + CASES.size());
        try (Stream<Path> s = Files.walk(good)) {
            for (Path p : s.toList()) {
                Path to = run.resolve(good.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.getFileName().toString().startsWith(".")) {
                    Files.copy(p, to);
                }
            }
        }
        damage.apply(run);
        add("analyze: " + name, List.of(words), "analyze", run.toString());
    }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException(file + " has no " + from);
        }
        Files.writeString(file, text.replace(from, to));
    }

    static void truncate(Path file, int bytes) throws IOException {
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), bytes));
    }

    /** A copy of a safetensors file with element {@code index} of tensor {@code name} set to {@code value} (F32 or F64). */
    static byte[] withValue(byte[] file, String name, int index, double value) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        com.google.gson.JsonObject entry = com.google.gson.JsonParser.parseString(new String(file, 8, n,
                java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonObject(name);
        boolean f64 = entry.get("dtype").getAsString().equals("F64");
        int at = 8 + n + entry.getAsJsonArray("data_offsets").get(0).getAsInt() + index * (f64 ? 8 : 4);
        if (f64) {
            b.putDouble(at, value);
        } else {
            b.putFloat(at, (float) value);
        }
        return b.array();
    }

    /** A safetensors file with {@code header} (JSON) and {@code dataBytes} zero bytes of data. */
    static Path safetensors(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve(name + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    /** A damaged safetensors header, tried as a fine-tuning checkpoint and through `gradcheck --reference`. */
    static void header(String name, String header, int dataBytes, String... words) throws IOException {
        Path f = safetensors(name, header, dataBytes);
        List<String> expected = new ArrayList<>(List.of(f.getFileName().toString()));
        expected.addAll(List.of(words));
        add("finetune from " + name, expected, "finetune", valid().toString(), "--checkpoint", f.toString(), "--load", "embed",
                "--out", dir.resolve("runs-" + name).toString());
        add("gradcheck --reference " + name, expected, "gradcheck", "--reference", f.toString());
    }

    /** BadInputTest's valid config, as a file. */
    static Path valid() throws IOException {
        Path f = dir.resolve("valid.json");
        if (!Files.exists(f)) {
            Files.writeString(f, BadInputTest.VALID);
        }
        return f;
    }

    /**
     * BadInputTest's valid config with the field at {@code path} (dots for nesting: "optimizer.grad_filter")
     * set to {@code json}; trained with `train`, the line must name the file and {@code words}.
     */
    static void config(String path, String json, String... words) throws IOException {
        config(true, path, json, words);
    }

    /** The same; {@code namesFile} false where the error is about another file (a checkpoint) than the config. */
    static void config(boolean namesFile, String path, String json, String... words) throws IOException {
        com.google.gson.JsonObject root = com.google.gson.JsonParser.parseString(BadInputTest.VALID).getAsJsonObject();
        com.google.gson.JsonObject at = root;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            if (!at.has(parts[i])) {
                at.add(parts[i], new com.google.gson.JsonObject());
            }
            at = at.getAsJsonObject(parts[i]);
        }
        at.add(parts[parts.length - 1], com.google.gson.JsonParser.parseString(json));
        Path f = dir.resolve("c" + CASES.size() + ".json");
        Files.writeString(f, new com.google.gson.GsonBuilder().serializeNulls().create().toJson(root));
        List<String> expected = new ArrayList<>(namesFile ? List.of(f.getFileName().toString()) : List.of());
        expected.addAll(List.of(words));
        add(path + " = " + json, expected, "train", f.toString(), "--out", dir.resolve("runs-" + CASES.size()).toString());
    }

    @BeforeAll
    static void cases() throws IOException {
        // an explicit null where null means nothing: refused, not read as the default
        config("p", "null", "p", "null", "leave the field out");
        config("model", "null", "model", "null");
        config("model.act", "null", "model.act", "null");
        config("model.d_model", "null", "model.d_model", "null");
        config("optimizer", "null", "optimizer", "null");
        config("optimizer.lr", "null", "optimizer.lr", "null");
        config("optimizer.betas", "null", "optimizer.betas", "null");
        config("optimizer.grad_filter", "{\"type\": null}", "grad_filter.type", "null");
        config("ops", "null", "ops", "null");
        config("seeds", "null", "seeds", "null");
        config("train_fraction", "null", "train_fraction", "null");
        config("epochs", "null", "epochs", "null");
        config("backend", "null", "backend", "null");
        config("name", "null", "name", "null");
        config("init", "{\"checkpoint\": \"x.safetensors\", \"load\": null}", "init.load", "null");
        // control characters in an expression: refused, shown escaped, the error still one line
        config("ops", "[\"a^2\\n+ b\"]", "ops[0]", "\\n", "one line");
        config("ops", "[\"a\\t+ b\"]", "ops[0]", "\\t");
        config("ops", "[\"a + b\\r\"]", "ops[0]", "\\r");
        config("ops", "[\"a +\\u0007 b\"]", "ops[0]", "\\u0007");
        config("ops", "[\"a\\u2028+ b\"]", "ops[0]", "\\u2028");
        config("ops", "[\"add\", \"a*b\\u0000\"]", "ops[1]", "\\u0000");
        // an empty path: Path.of("") is the working directory, which nobody means
        String v = valid().toString();
        add("train --out empty", List.of("--out", "empty path"), "train", v, "--out", "");
        add("train --out blank", List.of("--out", "empty path"), "train", v, "--out", "  ");
        add("finetune --checkpoint empty", List.of("--checkpoint", "empty path"), "finetune", v, "--checkpoint", "", "--load", "embed");
        add("sweep --out empty", List.of("--out", "empty path"), "sweep", v, "--out", "", "--dry-run");
        add("report -o empty", List.of("empty path"), "report", dir.toString(), "-o", "");
        add("report DIR empty", List.of("empty path"), "report", "");
        add("convert OUT empty", List.of("OUT", "empty path"), "convert", PTH.resolve("0.pth").toString(), "");
        add("analyze empty", List.of("empty path"), "analyze", "");
        // convert into its own input
        Path copy = dir.resolve("copy.pth");
        Files.copy(PTH.resolve("0.pth"), copy);
        add("convert X X", List.of("copy.pth", "output is the input"), "convert", copy.toString(), copy.toString());
        add("convert X ./X", List.of("copy.pth", "output is the input"), "convert", copy.toString(),
                dir.resolve(".").resolve("copy.pth").toString());
        Path link = dir.resolve("link.pth");
        Files.createSymbolicLink(link, copy);
        add("convert X link-to-X", List.of("link.pth", "output is the input"), "convert", copy.toString(), link.toString());
        Path orig = Files.createDirectories(dir.resolve("orig"));
        Files.copy(PTH.resolve("0.pth"), orig.resolve("0.pth"));
        add("convert DIR DIR", List.of("orig", "output is the input"), "convert", orig.toString(), orig.toString(), "--op", "add");
        // report --against with nothing to compare: an error, not a count of zero
        Path emptyRuns = Files.createDirectories(dir.resolve("no-runs"));
        add("--against an empty directory", List.of("--against", "nothing to compare", "no-runs"), "report", emptyRuns.toString(),
                "--against", "table_a5", "-o", dir.resolve("a.html").toString());
        Path otherSetup = dir.resolve("p11-runs");
        polygrok.analysis.paper.ReproductionTest.edit(polygrok.analysis.paper.ReproductionTest.scratch(otherSetup, "add_f0.3", "add",
                0.3, 1000, 100, 1.0), c -> c.addProperty("p", 11));
        add("--against runs of p 11", List.of("nothing to compare", "another setup"), "report", otherSetup.toString(),
                "--against", "table_a5", "-o", dir.resolve("b.html").toString());
        Path unfinished = dir.resolve("unfinished-runs");
        polygrok.analysis.paper.ReproductionTest.run(unfinished, "add_f0.3", List.of("add"), 0.3, 1000, null, 0.1, false, null, null, null);
        add("--against runs still training", List.of("nothing to compare", "still training"), "report", unfinished.toString(),
                "--against", "table_a5", "-o", dir.resolve("c.html").toString());
        add("--against runs of other ops", List.of("nothing to compare"), "report", otherSetup.toString(),
                "--against", "mixtures", "-o", dir.resolve("d.html").toString());
        // one task spelled twice: compared by what it computes, not by its spelling
        config("ops", "[\"a^2 + b\", \"b + a^2\"]", "ops[1]", "b + a^2", "same task", "ops[0]");
        config("ops", "[\"a*b + b\", \"b*(a + 1)\"]", "ops[1]", "same task");
        config("ops", "[\"x2_y\", \"a^2 + b\"]", "ops[1]", "same task");
        config("ops", "[\"2*a + b\", \"a + a + b + 7*b\"]", "ops[1]", "same task"); // 8b = b at p 7
        config("ops", "[\"add\", \"subtract\", \"x_x_y\", \"a*2 + b\"]", "ops[3]", "same task", "ops[2]");
        // stop conditions that can never fire
        config("stop_test_loss", "0", "stop_test_loss", "never be reached");
        config("stop_test_loss", "-0.5", "stop_test_loss", "never be reached");
        config("stop_test_loss", "-1e-300", "stop_test_loss");
        // a name with a control character: refused, the line unbroken
        config("name", "\"run\\nname\"", "name", "run\\nname");
        config("name", "\"tab\\there\"", "name", "tab\\there");
        // checkpoints that hold NaN or infinity: refused before anything trains, naming file and tensor
        Path trained = dir.resolve("trained");
        CliHarness.Result fixture = CliHarness.run(List.of("train", valid().toString(), "--out", trained.toString(), "--epochs", "2"));
        if (fixture.code() != 0) {
            throw new IllegalStateException("training the fixture: " + fixture.err());
        }
        byte[] ckpt = Files.readAllBytes(trained.resolve("ok/seed_0/checkpoints/final.safetensors"));
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Path f = dir.resolve("nonfinite_" + (Double.isNaN(bad) ? "nan" : bad > 0 ? "inf" : "neginf") + ".safetensors");
            Files.write(f, withValue(ckpt, "embed.W_E", 3, bad));
            for (String load : List.of("embed", "full")) {
                config(false, "init", "{\"checkpoint\": \"" + f + "\", \"load\": [\"" + load + "\"]}", f.getFileName().toString(),
                        "embed.W_E", "index 3", "earlier checkpoint");
            }
        }
        Path nanMoment = dir.resolve("nan_moment.safetensors");
        Files.write(nanMoment, withValue(ckpt, "opt.v.unembed.W_U", 0, Double.NaN));
        config(false, "init", "{\"checkpoint\": \"" + nanMoment + "\", \"load\": [\"full\"], \"load_optimizer\": true}",
                "nan_moment.safetensors", "opt.v.unembed.W_U");
        // analyze on runs that are broken in one way each: the file and the reason are named
        Path good = trained.resolve("ok/seed_0");
        analyze("config edited", good, r -> edit(r.resolve("config.json"), "\"d_mlp\": 16", "\"d_mlp\": 32"),
                "init.safetensors", "config.json", "d_mlp 32");
        analyze("config of another p", good, r -> edit(r.resolve("config.json"), "\"p\": 7", "\"p\": 11"), "config.json");
        analyze("torn checkpoint", good, r -> truncate(r.resolve("checkpoints/final.safetensors"), 100), "final.safetensors",
                "runs past the end");
        analyze("empty checkpoint", good, r -> truncate(r.resolve("checkpoints/init.safetensors"), 0), "init.safetensors");
        analyze("torn summary", good, r -> Files.writeString(r.resolve("summary.json"), "{\"a\": "), "summary.json",
                "not valid JSON", "repair or remove");
        analyze("summary not JSON", good, r -> Files.writeString(r.resolve("summary.json"), "epochs: 3"), "summary.json", "not valid JSON");
        analyze("torn config", good, r -> Files.writeString(r.resolve("config.json"), "{\"p\": [1,"), "config.json");
        analyze("plots is a file", good, r -> Files.writeString(r.resolve("plots"), "x"), "plots", "in the way");
        analyze("analysis.json is a directory", good, r -> Files.createDirectories(r.resolve("analysis.json")), "analysis.json",
                "directory");
        // --resume under a config that changes the model's shapes: the fields are named, not a tensor shape
        Path resumable = dir.resolve("resumable");
        Path base = dir.resolve("resume_base.json");
        Files.writeString(base, BadInputTest.VALID.replace("\"checkpoint_every\": 0", "\"checkpoint_every\": 1"));
        CliHarness.Result r0 = CliHarness.run(List.of("train", base.toString(), "--out", resumable.toString(), "--epochs", "2"));
        if (r0.code() != 0) {
            throw new IllegalStateException("training the resume fixture: " + r0.err());
        }
        String[][] changes = {{"\"d_mlp\": 16", "\"d_mlp\": 24", "model.d_mlp 16 -> 24"}, {"\"p\": 7", "\"p\": 11", "p 7 -> 11"},
                {"\"d_model\": 8", "\"d_model\": 16", "model.d_model 8 -> 16"}, {"\"num_heads\": 2", "\"num_heads\": 4", "model.num_heads"}};
        for (String[] c : changes) {
            Path changed = dir.resolve("resume_" + CASES.size() + ".json");
            Files.writeString(changed, Files.readString(base).replace(c[0], c[1]));
            add("--resume with " + c[1], List.of(c[2], "--overwrite"), "train", changed.toString(), "--out", resumable.toString(),
                    "--epochs", "4", "--resume");
        }
        // a memory estimate names the fields that make the run big
        config(false, "n_mask", "100000000", "n_mask", "vocabulary");
        config(false, "p", "20011", "p 20011", "examples", "smaller p");
        // a field of the other variant: refused like an unknown field, not dropped
        config("model", "{\"type\": \"mlp\", \"d_model\": 8, \"num_heads\": 8}", "model.num_heads", "\"transformer\" model");
        config("model", "{\"type\": \"mlp\", \"d_model\": 8, \"layer_norm\": true}", "model.layer_norm", "\"mlp\" model takes");
        config("model", "{\"type\": \"mlp\", \"d_model\": 8, \"d_mlp\": 64}", "model.d_mlp");
        config("model", "{\"type\": \"mlp\", \"d_model\": 8, \"positional\": true}", "model.positional");
        config("model", "{\"d_model\": 8, \"num_heads\": 2, \"d_emb\": 32}", "model.d_emb", "\"mlp\" model");
        config("model", "{\"d_model\": 8, \"num_heads\": 2, \"weight_scale\": 0.5}", "model.weight_scale", "transformer\" model takes");
        config("optimizer.grad_filter", "{\"type\": \"ma\", \"alpha\": 0.9}", "grad_filter.alpha", "\"ema\" filter");
        config("optimizer.grad_filter", "{\"type\": \"ema\", \"window\": 100}", "grad_filter.window", "\"ma\" filter");
        config("optimizer.grad_filter", "{\"type\": \"ma\", \"window\": 10, \"alpha\": 0.5, \"lambda\": 2}", "grad_filter.alpha");
        config("optimizer.grad_filter", "{\"window\": 50}", "grad_filter.window", "\"ma\" filter");
        String t = "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}";
        String t2 = "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}";
        // a name given twice in a safetensors header: readers would disagree on which copy holds
        header("tensor_twice", "{\"embed.W_E\": " + t + ", \"embed.W_E\": " + t2 + "}", 8, "embed.W_E", "twice");
        header("metadata_twice", "{\"__metadata__\": {\"a\": \"1\"}, \"x\": " + t + ", \"__metadata__\": {\"a\": \"2\"}}", 4,
                "__metadata__", "twice");
        header("dtype_twice", "{\"x\": {\"dtype\": \"F32\", \"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8,
                "dtype", "twice");
        header("metadata_key_twice", "{\"__metadata__\": {\"format\": \"pt\", \"format\": \"np\"}, \"x\": " + t + "}", 4,
                "format", "twice");

        // length-prefixed opcodes whose length runs past the end of the pickle (PROTO 2 first)
        pickle("binunicode_past_end", "8002 58 f0ffffff 616263 2e", "BINUNICODE", "truncated");
        pickle("binunicode_short", "8002 58 10000000 616263 2e", "BINUNICODE", "truncated");
        pickle("binbytes_past_end", "8003 42 ffffff7f 00 2e", "BINBYTES", "truncated");
        pickle("binstring_negative", "8002 54 f0ffffff 6162 2e", "BINSTRING", "truncated");
        pickle("short_binunicode", "8004 8c c8 6162 2e", "SHORT_BINUNICODE", "truncated");
        pickle("short_binbytes", "8003 43 40 00 2e", "SHORT_BINBYTES", "truncated");
        pickle("short_binstring", "8002 55 09 61 2e", "SHORT_BINSTRING", "truncated");
        pickle("binunicode8", "8004 8d ffffffffffffff7f 61 2e", "BINUNICODE8", "truncated");
        pickle("binbytes8", "8004 8e 0000000001000000 61 2e", "BINBYTES8", "truncated");
        pickle("bytearray8", "8005 96 0000010000000000 61 2e", "BYTEARRAY8", "truncated");
        pickle("long4_huge", "8002 8b ffffff7f 00 2e", "LONG4", "truncated");
        pickle("long1_past_end", "8002 8a 20 01 2e", "LONG1", "truncated");
        pickle("length_field_cut", "8002 58 f0ff", "BINUNICODE");
        // structures a state dict never has
        pickle("setitems_on_list", "8002 5d 28 5801000000 61 5801000000 62 75 2e", "SETITEMS");
        pickle("string_root", "8002 5803000000 616263 2e", "holds a str", "state dict");
        pickle("dict_of_strings", "8002 7d 28 5801000000 61 5801000000 62 75 2e", "no tensors");
        pickle("empty", "", "pickle", "end");
        pickle("stop_only", "2e", "refused");
        pickle("pop_empty", "8002 30 2e", "refused");
        pickle("tuple_without_mark", "8002 74 2e", "refused");
    }

    @org.junit.jupiter.api.Test
    void aRefusedResumeLeavesTheRunAsItWas(@TempDir Path tmp) throws IOException {
        Path base = tmp.resolve("base.json");
        Files.writeString(base, BadInputTest.VALID.replace("\"checkpoint_every\": 0", "\"checkpoint_every\": 1"));
        assertEquals(0, CliHarness.run(List.of("train", base.toString(), "--out", tmp.toString(), "--epochs", "2")).code());
        Path run = tmp.resolve("ok/seed_0");
        java.util.Map<String, Long> before = sizes(run);
        Path changed = tmp.resolve("changed.json");
        Files.writeString(changed, Files.readString(base).replace("\"d_mlp\": 16", "\"d_mlp\": 24"));
        CliHarness.assertRefused("resume with d_mlp 24", List.of("train", changed.toString(), "--out", tmp.toString(), "--epochs", "4",
                "--resume"), List.of("model.d_mlp 16 -> 24"), tmp);
        assertEquals(before, sizes(run), "a refused resume must not reopen the run (its summary.json and final checkpoint stay)");
    }

    static java.util.Map<String, Long> sizes(Path run) throws IOException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                out.put(run.relativize(p).toString(), Files.size(p));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyKindEndsWithOneClearLineAndExitCode2() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> CliHarness.assertRefused(c.name(), c.args(), c.expected(), dir)));
    }
}
