package polygrok.config;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a sweep file:
 * <pre>
 * {"name": "table_a5",
 *  "base": {...an experiment config...}  or  "base": "../paper/add.json" (relative to the sweep file),
 *  "axes": {"ops": [["add"], ["subtract"], "multiply", ["add", "multiply"]],
 *           "seeds": [0, 1, 2], "train_fraction": [0.3, 0.5], "lr": [1e-3], "weight_decay": [1.0],
 *           "init_checkpoint": ["runs/add/seed_0/checkpoints/final.safetensors"],
 *           "grad_filter": [null, {"type": "ema"}], "optimizer_type": ["adamw", "adam"], "warmup_steps": [0, 10],
 *           "orthogonal": [false, true]},
 *           (or "init_checkpoint": {"add": "...", "multiply": "..."}, whose keys name the points)
 *  "models_per_launch": 16, "shards": 4}
 * </pre>
 * An ops entry is a list of ops (a mixture when it has several) or a single op name. Unknown keys
 * are refused with the nearest known one; errors name the file and the JSON path.
 */
public final class SweepLoader {
    private SweepLoader() {
    }

    /** True if the file holds a sweep (a top-level "base", or "stages") rather than a plain experiment config. */
    public static boolean isSweepFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return false; // not a file at all: whoever loads it reports why
            }
            JsonElement e = com.google.gson.JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return e.isJsonObject() && (e.getAsJsonObject().has("base") || e.getAsJsonObject().has("stages"));
        } catch (IOException | RuntimeException e) {
            return false; // unreadable or malformed: whoever loads it reports why
        }
    }

    /** A single sweep; a file with "stages" is refused here (see {@link #loadFile}). */
    public static SweepConfig load(Path file) {
        SweepFile f = loadFile(file);
        if (f.staged()) {
            throw new ConfigException("stages", "this file holds " + f.stages().size() + " stages; run it with `polygrok sweep`")
                    .inSource(file.toString());
        }
        return f.stages().get(0);
    }

    /** A sweep file: one sweep, or {"name": ..., "stages": [sweep, sweep, ...]} run in order. */
    public static SweepFile loadFile(Path file) {
        String text = TextFiles.read(file, "sweep file");
        Path dir = file.toAbsolutePath().getParent();
        return parseFile(text, file.toString(), dir);
    }

    /** @see #loadFile */
    public static SweepFile parseFile(String json, String sourceName, Path baseDir) {
        try {
            JsonElement root = strict(json);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("stages")) {
                SweepConfig one = read(root, sourceName, baseDir);
                return new SweepFile(one.name(), List.of(one), false);
            }
            JsonFields f = JsonFields.of(root, "the sweep file");
            String name = f.string("name", stem(sourceName));
            JsonElement stages = root.getAsJsonObject().get("stages");
            if (!stages.isJsonArray()) {
                throw new ConfigException("stages", stages + " is not a JSON array of sweep objects");
            }
            f.present("stages");
            f.rejectUnknown();
            List<SweepConfig> list = new ArrayList<>();
            for (int i = 0; i < stages.getAsJsonArray().size(); i++) {
                JsonElement stage = stages.getAsJsonArray().get(i);
                if (!stage.isJsonObject() || !stage.getAsJsonObject().has("name")) {
                    throw new ConfigException("stages[" + i + "]", "must be a sweep object with its own \"name\" (it names the stage's directory)");
                }
                try {
                    list.add(read(stage, sourceName, baseDir));
                } catch (ConfigException e) {
                    throw e.under("stages[" + i + "]");
                }
            }
            return new SweepFile(name, list, true);
        } catch (ConfigException e) {
            throw e.source() == null ? e.inSource(sourceName) : e;
        }
    }

    /**
     * @param baseDir directory a "base" path is resolved against (the sweep file's); null = the working directory
     */
    public static SweepConfig parse(String json, String sourceName, Path baseDir) {
        try {
            return read(strict(json), sourceName, baseDir);
        } catch (ConfigException e) {
            throw e.source() == null ? e.inSource(sourceName) : e;
        }
    }

    private static SweepConfig read(JsonElement root, String sourceName, Path baseDir) {
        JsonFields f = JsonFields.of(root, "the sweep");
        JsonObject object = root.getAsJsonObject();
        String name = f.string("name", stem(sourceName));
        ExperimentConfig base = base(f, object, sourceName, baseDir);
        JsonFields axes = f.object("axes");
        List<List<String>> ops = null;
        List<Long> seeds = null;
        List<Double> fractions = null, lrs = null, decays = null;
        List<String> inits = null, initNames = null;
        List<GradFilterConfig> filters = null;
        OptimizerAxes optimizerAxes = null;
        List<String> losses = null, lossPrecisions = null;
        if (axes != null) {
            try {
                if (axes.present("ops")) {
                    ops = ops(object.getAsJsonObject("axes").get("ops"));
                }
                seeds = axes.longs("seeds", null);
                fractions = axes.numbers("train_fraction", null);
                lrs = axes.numbers("lr", null);
                decays = axes.numbers("weight_decay", null);
                if (axes.present("init_checkpoint") && object.getAsJsonObject("axes").get("init_checkpoint").isJsonObject()) {
                    // {"add": "path", ...}: the keys name the points ("init-add"), where file stems would repeat
                    JsonFields named = axes.object("init_checkpoint");
                    inits = new ArrayList<>();
                    initNames = new ArrayList<>();
                    for (String key : object.getAsJsonObject("axes").getAsJsonObject("init_checkpoint").keySet()) {
                        if (!key.matches("[A-Za-z0-9][A-Za-z0-9_.+,=-]*")) {
                            throw new ConfigException("init_checkpoint." + key, "is not a usable name piece; allowed: letters, digits and _ . + , = -");
                        }
                        inits.add(named.string(key, null));
                        initNames.add(key);
                    }
                } else {
                    inits = axes.strings("init_checkpoint", null);
                }
                losses = axes.strings("loss", null);
                lossPrecisions = axes.strings("loss_precision", null);
                if (axes.present("grad_filter")) {
                    filters = gradFilters(object.getAsJsonObject("axes").get("grad_filter"));
                }
                optimizerAxes = OptimizerAxes.read(axes, object.getAsJsonObject("axes"));
                axes.rejectUnknown();
            } catch (ConfigException e) {
                throw e.under("axes");
            }
        }
        Integer modelsPerLaunch = f.nullableInteger("models_per_launch", null);
        Integer shards = f.nullableInteger("shards", null);
        f.rejectUnknown();
        return new SweepConfig(name, base, ops, seeds, fractions, lrs, decays, inits, initNames, filters, optimizerAxes, losses, lossPrecisions, modelsPerLaunch, shards);
    }

    private static ExperimentConfig base(JsonFields f, JsonObject object, String sourceName, Path baseDir) {
        if (!f.present("base") || object.get("base").isJsonNull()) {
            throw new ConfigException("base", "is missing; give an inline config object {...} or the path of a config file");
        }
        JsonElement e = object.get("base");
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            Path file = baseDir == null ? Path.of(e.getAsString()) : baseDir.resolve(e.getAsString());
            try {
                return ConfigLoader.load(file);
            } catch (ConfigException x) {
                throw new ConfigException("base", "\"" + e.getAsString() + "\": " + x.getMessage());
            }
        }
        if (!e.isJsonObject()) {
            throw new ConfigException("base", e + " is neither a config object {...} nor the path of a config file");
        }
        JsonObject inline = e.getAsJsonObject().deepCopy();
        if (!inline.has("name")) {
            inline.addProperty("name", f.string("name", stem(sourceName)));
        }
        try {
            return ConfigLoader.parse(inline.toString(), null);
        } catch (ConfigException x) {
            throw x.under("base");
        }
    }

    /** [null, {"type": "ema", "lambda": 2}, ...]: each entry a grad_filter object, or null for none. */
    private static List<GradFilterConfig> gradFilters(JsonElement e) {
        if (!e.isJsonArray()) {
            throw new ConfigException("grad_filter", e + " is not a JSON array of filters, e.g. [null, {\"type\": \"ema\", \"lambda\": 2}]");
        }
        List<GradFilterConfig> out = new ArrayList<>();
        for (int i = 0; i < e.getAsJsonArray().size(); i++) {
            JsonElement x = e.getAsJsonArray().get(i);
            try {
                out.add(x.isJsonNull() ? null : ConfigLoader.gradFilter(x));
            } catch (ConfigException c) {
                throw c.under("grad_filter[" + i + "]");
            }
        }
        return out;
    }

    private static List<List<String>> ops(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new ConfigException("ops", e + " is not a JSON array of op lists, e.g. [[\"add\"], [\"add\", \"multiply\"]]");
        }
        List<List<String>> out = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (x.isJsonPrimitive() && x.getAsJsonPrimitive().isString()) {
                out.add(List.of(x.getAsString()));
            } else if (x.isJsonArray()) {
                List<String> list = new ArrayList<>();
                for (int j = 0; j < x.getAsJsonArray().size(); j++) {
                    JsonElement y = x.getAsJsonArray().get(j);
                    if (!y.isJsonPrimitive() || !y.getAsJsonPrimitive().isString()) {
                        throw new ConfigException("ops[" + i + "][" + j + "]", y + " is not an op name (a string)");
                    }
                    list.add(y.getAsString());
                }
                out.add(list);
            } else {
                throw new ConfigException("ops[" + i + "]", x + " is neither an op name nor a list of op names");
            }
        }
        return out;
    }

    private static JsonElement strict(String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = StrictJson.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ConfigException("", "malformed JSON: more content after the top-level object");
            }
            return root;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new ConfigException("", "malformed JSON: " + message);
        }
    }

    private static String stem(String sourceName) {
        String s = sourceName == null ? "sweep" : sourceName;
        s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        return s.endsWith(".json") ? s.substring(0, s.length() - 5) : s;
    }
}
