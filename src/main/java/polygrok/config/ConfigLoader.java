package polygrok.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads experiment JSON into {@link ExperimentConfig} (absent fields take the paper's defaults,
 * unknown fields are refused) and writes it back in a stable, pretty form that reads back equal.
 */
public final class ConfigLoader {
    /** Top-level key of the informational section a run's config.json adds; ignored when read back. */
    public static final String PROVENANCE = "provenance";
    private static final Pattern LINE_COLUMN = Pattern.compile("line (\\d+) column (\\d+)");
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private ConfigLoader() {
    }

    /** Loads a config file; errors name the file. The name defaults to the file's stem. */
    public static ExperimentConfig load(Path file) {
        return parse(TextFiles.read(file, "config file"), file.toString());
    }

    /** Parses config JSON; {@code sourceName} is used in errors and, via its stem, as the default name. */
    public static ExperimentConfig parse(String json, String sourceName) {
        try {
            return read(parseStrict(json), stem(sourceName));
        } catch (ConfigException e) {
            throw e.inSource(sourceName);
        }
    }

    private static JsonElement parseStrict(String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = StrictJson.read(reader);
            JsonToken after;
            try {
                after = reader.peek();
            } catch (IOException | IllegalStateException | JsonParseException more) {
                after = null; // a strict reader refuses a second top-level value before it can name it
            }
            if (after != JsonToken.END_DOCUMENT) {
                throw new ConfigException("", "malformed JSON: more content after the top-level object "
                        + where(reader.toString()));
            }
            return root;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            String reason = message.split("\n")[0].replaceAll("\\s*at line \\d+ column \\d+.*", "");
            if (reason.contains("setStrictness") || reason.contains("setLenient")) {
                // Gson's advice is about its own API; say what is wrong with the text instead
                reason = "not strict JSON (a stray or trailing comma, a comment, single quotes or an unquoted name?)";
            }
            Matcher m = LINE_COLUMN.matcher(message);
            if (!m.find()) {
                throw new ConfigException("", "malformed JSON: " + reason);
            }
            int line = Integer.parseInt(m.group(1));
            int column = Integer.parseInt(m.group(2));
            throw new ConfigException("", "malformed JSON at line " + line + " column " + column + ": " + reason
                    + excerpt(json, line, column));
        }
    }

    /** The offending line with a caret under the column Gson reports (1-based). */
    private static String excerpt(String json, int line, int column) {
        String[] lines = json.split("\n", -1);
        if (line < 1 || line > lines.length) {
            return "";
        }
        String text = lines[line - 1].replace('\t', ' ');
        return "\n  " + text + "\n  " + " ".repeat(Math.max(0, Math.min(column - 1, text.length()))) + "^";
    }

    private static String where(String readerText) {
        Matcher m = LINE_COLUMN.matcher(readerText);
        return m.find() ? "at line " + m.group(1) + " column " + m.group(2) : "";
    }

    private static String stem(String sourceName) {
        String s = sourceName == null ? "config" : sourceName;
        s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        return s.endsWith(".json") ? s.substring(0, s.length() - 5) : s;
    }

    private static ExperimentConfig read(JsonElement root, String defaultName) {
        JsonFields f = JsonFields.of(root, "the config");
        ExperimentConfig d = ExperimentConfig.defaults(defaultName, List.of("add"));
        String name = f.string("name", defaultName);
        int p = f.integer("p", d.p());
        List<String> ops = f.strings("ops", null);
        if (ops == null) {
            throw new ConfigException("ops", "is missing; name at least one operation, e.g. \"ops\": [\"add\"]");
        }
        String format = f.string("format", d.format());
        double trainFraction = f.number("train_fraction", d.trainFraction());
        String operandRange = f.string("operand_range", d.operandRange());
        String operandDomain = f.nullableString("operand_domain");
        boolean symmetric = f.bool("symmetric", d.symmetric());
        int nMask = f.integer("n_mask", d.nMask());
        boolean taskTokens = f.bool("task_tokens", d.taskTokens());
        ModelConfig model = nested("model", f.object("model"), ConfigLoader::readModel, d.model());
        OptimizerConfig optimizer = nested("optimizer", f.object("optimizer"), ConfigLoader::readOptimizer, d.optimizer());
        Integer batchSize = f.nullableInteger("batch_size", d.batchSize());
        int epochs = f.integer("epochs", d.epochs());
        LpConfig lp = nested("lp", f.nullableObject("lp"), ConfigLoader::readLp, d.lp());
        Double stopTestLoss = f.nullableNumber("stop_test_loss", d.stopTestLoss());
        Double stopTestAcc = f.nullableNumber("stop_test_acc", d.stopTestAcc());
        int evalEvery = f.integer("eval_every", d.evalEvery());
        int checkpointEvery = f.integer("checkpoint_every", d.checkpointEvery());
        double checkpointMinutes = f.number("checkpoint_minutes", d.checkpointMinutes());
        int fourierEvery = f.integer("fourier_every", d.fourierEvery());
        List<Long> seeds = f.longs("seeds", d.seeds());
        String backend = f.string("backend", d.backend());
        InitConfig init = nested("init", f.nullableObject("init"), ConfigLoader::readInit, d.init());
        LossConfig loss = new LossConfig(f.string("loss", d.loss().function()), f.string("loss_precision", d.loss().precision()));
        // a run's config.json carries what it was started from (e.g. the init checkpoint's sha256): informational only
        f.nullableObject(PROVENANCE);
        f.rejectUnknown();
        return new ExperimentConfig(name, p, ops, format, trainFraction, operandRange, operandDomain, symmetric, nMask, taskTokens,
                model, optimizer, batchSize, epochs, lp, stopTestLoss, stopTestAcc, evalEvery, checkpointEvery, checkpointMinutes, fourierEvery,
                seeds, backend, init, loss);
    }

    private interface Reader<T> {
        T read(JsonFields fields);
    }

    /** Reads a nested section, prefixing its errors with the section's key. */
    private static <T> T nested(String key, JsonFields fields, Reader<T> reader, T fallback) {
        if (fields == null) {
            return fallback;
        }
        try {
            T value = reader.read(fields);
            fields.rejectUnknown();
            return value;
        } catch (ConfigException e) {
            throw e.under(key);
        }
    }

    private static ModelConfig readModel(JsonFields f) {
        ModelConfig d = ModelConfig.defaults();
        String type = f.string("type", d.type());
        int dModel = f.integer("d_model", d.dModel());
        int numLayers = f.integer("num_layers", d.numLayers());
        int numHeads = f.integer("num_heads", d.numHeads());
        int dMlp = f.integer("d_mlp", 4 * dModel); // the seed's d_mlp = 4 * d_model
        int dEmb = f.integer("d_emb", d.dEmb());
        String act = f.string("act", d.act());
        boolean layerNorm = f.bool("layer_norm", d.layerNorm());
        boolean positional = f.bool("positional", d.positional());
        double weightScale = f.number("weight_scale", d.weightScale());
        boolean bias = f.bool("bias", d.bias());
        boolean finalLayerNorm = f.bool("final_layer_norm", d.finalLayerNorm());
        String residual = f.string("residual", d.residual());
        String input = f.string("input", d.input());
        String weightInit = f.string("weight_init", d.weightInit());
        // a field only the other model type reads would be ignored without a word: refuse it unless it holds
        // its default (a run's config.json lists every field, so those must still read)
        boolean mlp = ModelConfig.MLP.equals(type);
        boolean transformer = !mlp && ModelConfig.TRANSFORMER.equals(type);
        refuseForeign(mlp, "num_heads", numHeads != d.numHeads());
        refuseForeign(mlp, "d_mlp", dMlp != 4 * dModel);
        refuseForeign(mlp, "layer_norm", layerNorm != d.layerNorm());
        refuseForeign(mlp, "positional", positional != d.positional());
        refuseForeign(mlp, "bias", bias != d.bias());
        refuseForeign(mlp, "final_layer_norm", finalLayerNorm != d.finalLayerNorm());
        refuseForeign(mlp, "residual", !d.residual().equals(residual));
        refuseForeign(transformer, "d_emb", dEmb != d.dEmb());
        refuseForeign(transformer, "weight_scale", weightScale != d.weightScale());
        refuseForeign(transformer, "input", !d.input().equals(input));
        if (mlp && ModelConfig.ONE_HOT.equals(input) && dEmb != d.dEmb()) {
            throw new ConfigException("d_emb", "means nothing with \"input\": \"one_hot\" (its first layer reads the"
                    + " one-hot positions straight into d_model); leave d_emb out, or use \"input\": \"embed\"");
        }
        return new ModelConfig(type, dModel, numLayers, numHeads, dMlp, dEmb, act, layerNorm, positional, weightScale,
                bias, finalLayerNorm, residual, input, weightInit);
    }

    /** Fields of the MLP model; every other model field belongs to the transformer. */
    private static final java.util.Set<String> MLP_FIELDS = java.util.Set.of("d_emb", "weight_scale", "input");

    private static void refuseForeign(boolean foreign, String field, boolean set) {
        if (foreign && set) {
            boolean transformerField = !MLP_FIELDS.contains(field);
            throw new ConfigException(field, "belongs to the \"" + (transformerField ? "transformer" : "mlp") + "\" model; a \""
                    + (transformerField ? "mlp" : "transformer") + "\" model takes " + (transformerField
                    ? "d_model, num_layers, d_emb, act, weight_scale, input and weight_init"
                    : "d_model, num_layers, num_heads, d_mlp, act, layer_norm, positional, bias, final_layer_norm, residual and weight_init"));
        }
    }

    private static OptimizerConfig readOptimizer(JsonFields f) {
        OptimizerConfig d = OptimizerConfig.defaults();
        double lr = f.number("lr", d.lr());
        double wd = f.number("weight_decay", d.weightDecay());
        List<Double> betas = f.numbers("betas", List.of(d.beta1(), d.beta2()));
        if (betas.size() != 2) {
            throw new ConfigException("betas", betas + " must have exactly two numbers, e.g. [0.9, 0.98]");
        }
        double eps = f.number("eps", d.eps());
        GradFilterConfig filter = nested("grad_filter", f.nullableObject("grad_filter"), ConfigLoader::readGradFilter, null);
        return new OptimizerConfig(lr, wd, betas.get(0), betas.get(1), eps, filter, f.string("type", d.type()),
                f.integer("warmup_steps", d.warmupSteps()), f.bool("orthogonal", d.orthogonal()));
    }

    /** A grad_filter object on its own (a sweep's axis), unknown keys refused. */
    static GradFilterConfig gradFilter(JsonElement e) {
        JsonFields f = JsonFields.of(e, "a grad_filter");
        GradFilterConfig g = readGradFilter(f);
        f.rejectUnknown();
        return g;
    }

    private static GradFilterConfig readGradFilter(JsonFields f) {
        String type = f.string("type", GradFilterConfig.EMA);
        GradFilterConfig d = GradFilterConfig.defaults(type);
        // a field of the other filter would be dropped without a word: refuse it as an unknown field is
        boolean ema = GradFilterConfig.EMA.equals(type);
        String foreign = ema ? "window" : "alpha";
        if (f.present(foreign) && (ema || GradFilterConfig.MA.equals(type))) {
            throw new ConfigException(foreign, "belongs to the " + (ema ? "\"ma\"" : "\"ema\"") + " filter; a \"" + type
                    + "\" filter takes " + (ema ? "alpha" : "window") + " and lambda");
        }
        return new GradFilterConfig(type, ema ? f.number("alpha", d.alpha()) : d.alpha(), f.number("lambda", d.lambda()),
                ema ? d.window() : f.integer("window", d.window()));
    }

    private static LpConfig readLp(JsonFields f) {
        return new LpConfig(f.number("p", 2), f.number("alpha", 0));
    }

    private static InitConfig readInit(JsonFields f) {
        return new InitConfig(f.nullableString("checkpoint"), f.strings("load", null), f.strings("freeze", null),
                f.strings("freeze_random", null), f.string("key_prefix", ""), f.bool("load_optimizer", false));
    }

    /** Pretty JSON with every field, in the record's order; {@link #parse} of it gives an equal config. */
    public static String toJson(ExperimentConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("name", c.name());
        o.addProperty("p", c.p());
        o.add("ops", strings(c.ops()));
        o.addProperty("format", c.format());
        o.addProperty("train_fraction", c.trainFraction());
        o.addProperty("operand_range", c.operandRange());
        // written only when set, so the config.json (and checkpoint metadata) of a run on each operation's own domain reads as before
        if (c.operandDomain() != null) {
            o.addProperty("operand_domain", c.operandDomain());
        }
        o.addProperty("symmetric", c.symmetric());
        o.addProperty("n_mask", c.nMask());
        o.addProperty("task_tokens", c.taskTokens());
        ModelConfig m = c.model();
        JsonObject model = new JsonObject();
        model.addProperty("type", m.type());
        model.addProperty("d_model", m.dModel());
        model.addProperty("num_layers", m.numLayers());
        model.addProperty("num_heads", m.numHeads());
        model.addProperty("d_mlp", m.dMlp());
        model.addProperty("d_emb", m.dEmb());
        model.addProperty("act", m.act());
        model.addProperty("layer_norm", m.layerNorm());
        model.addProperty("positional", m.positional());
        model.addProperty("weight_scale", m.weightScale());
        // written only when not the paper's, so the config.json of a run without them reads as before
        if (!m.plainVariant()) {
            model.addProperty("bias", m.bias());
            model.addProperty("final_layer_norm", m.finalLayerNorm());
            model.addProperty("residual", m.residual());
            model.addProperty("input", m.input());
            model.addProperty("weight_init", m.weightInit());
        }
        o.add("model", model);
        OptimizerConfig opt = c.optimizer();
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("lr", opt.lr());
        optimizer.addProperty("weight_decay", opt.weightDecay());
        JsonArray betas = new JsonArray();
        betas.add(opt.beta1());
        betas.add(opt.beta2());
        optimizer.add("betas", betas);
        optimizer.addProperty("eps", opt.eps());
        if (opt.gradFilter() != null) {
            JsonObject filter = new JsonObject();
            filter.addProperty("type", opt.gradFilter().type());
            if (GradFilterConfig.EMA.equals(opt.gradFilter().type())) {
                filter.addProperty("alpha", opt.gradFilter().alpha());
            } else {
                filter.addProperty("window", opt.gradFilter().window());
            }
            filter.addProperty("lambda", opt.gradFilter().lambda());
            optimizer.add("grad_filter", filter);
        }
        optimizer.addProperty("type", opt.type());
        optimizer.addProperty("warmup_steps", opt.warmupSteps());
        optimizer.addProperty("orthogonal", opt.orthogonal());
        o.add("optimizer", optimizer);
        o.add("batch_size", c.batchSize() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(c.batchSize()));
        o.addProperty("epochs", c.epochs());
        if (c.lp() == null) {
            o.add("lp", JsonNull.INSTANCE);
        } else {
            JsonObject lp = new JsonObject();
            lp.addProperty("p", c.lp().p());
            lp.addProperty("alpha", c.lp().alpha());
            o.add("lp", lp);
        }
        o.add("stop_test_loss", c.stopTestLoss() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(c.stopTestLoss()));
        o.add("stop_test_acc", c.stopTestAcc() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(c.stopTestAcc()));
        o.addProperty("eval_every", c.evalEvery());
        o.addProperty("checkpoint_every", c.checkpointEvery());
        o.addProperty("checkpoint_minutes", c.checkpointMinutes());
        o.addProperty("fourier_every", c.fourierEvery());
        JsonArray seeds = new JsonArray();
        c.seeds().forEach(seeds::add);
        o.add("seeds", seeds);
        o.addProperty("backend", c.backend());
        if (c.init() == null) {
            o.add("init", JsonNull.INSTANCE);
        } else {
            InitConfig i = c.init();
            JsonObject init = new JsonObject();
            init.add("checkpoint", i.checkpoint() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(i.checkpoint()));
            init.add("load", strings(i.load()));
            init.add("freeze", strings(i.freeze()));
            init.add("freeze_random", strings(i.freezeRandom()));
            init.addProperty("key_prefix", i.keyPrefix());
            init.addProperty("load_optimizer", i.loadOptimizer());
            o.add("init", init);
        }
        // written only when not the seed's, so the config.json of a cross-entropy run reads as before
        if (!c.loss().isDefault()) {
            o.addProperty("loss", c.loss().function());
            o.addProperty("loss_precision", c.loss().precision());
        }
        return PRETTY.toJson(o) + "\n";
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }
}
