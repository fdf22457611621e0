package polygrok.analysis.paper;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import polygrok.data.Operations;

/**
 * The setup every published cell was trained in (Table A.2 and the original code): p 97, operands over
 * p + 5, the 1-layer transformer (d_model 128, 4 heads, d_mlp 512, ReLU, no LayerNorm, no positional
 * embedding), full batch so that the budget counts epochs that are steps. A run trained otherwise
 * answers a different question, so it is set aside as not comparable, with the reason.
 */
public final class PaperSetup {
    private PaperSetup() {
    }

    /** Null when the run's config.json describes the paper's setup, otherwise how it differs. */
    public static String difference(JsonObject config) {
        List<String> why = new ArrayList<>();
        long p = number(config, "p", 97);
        if (p != 97) {
            why.add("p " + p + " (the paper's is 97)");
        }
        String range = text(config, "operand_range", "p");
        if (!range.equals("p+5")) {
            why.add("operands over " + range + " (the paper's code drew them over p+5)");
        }
        String format = text(config, "format", "short");
        if (!format.equals("short") && !format.equals("long")) {
            why.add("format \"" + format + "\" (the paper's code spelled inputs in its short or long format)");
        }
        String domain = domainOtherThanTheOperations(config);
        if (domain != null) {
            why.add("operand domain " + domain + " (the paper's code used each operation's own)");
        }
        JsonElement batch = config.get("batch_size");
        if (batch != null && !batch.isJsonNull()) {
            why.add("minibatches of " + batch.getAsLong() + " (the paper's budget counts full-batch epochs)");
        }
        JsonObject model = config.has("model") && config.get("model").isJsonObject() ? config.getAsJsonObject("model") : new JsonObject();
        List<String> m = new ArrayList<>();
        expect(m, text(model, "type", "transformer"), "transformer", "type");
        expect(m, number(model, "d_model", 128), 128L, "d_model");
        expect(m, number(model, "num_layers", 1), 1L, "num_layers");
        expect(m, number(model, "num_heads", 4), 4L, "num_heads");
        expect(m, number(model, "d_mlp", 4 * number(model, "d_model", 128)), 512L, "d_mlp");
        expect(m, text(model, "act", "ReLU").toLowerCase(Locale.ROOT), "relu", "act");
        expect(m, bool(model, "layer_norm"), false, "layer_norm");
        expect(m, bool(model, "positional"), false, "positional");
        expect(m, bool(model, "bias"), false, "bias");
        expect(m, bool(model, "final_layer_norm"), false, "final_layer_norm");
        expect(m, text(model, "residual", "stream"), "stream", "residual");
        if (!m.isEmpty()) {
            why.add("model " + String.join(", ", m) + " (the paper's: 1 layer, d_model 128, 4 heads, d_mlp 512, ReLU)");
        }
        return why.isEmpty() ? null : String.join("; ", why);
    }

    /** The config's operand_domain if it admits other tuples than some operation's own domain, else null. */
    private static String domainOtherThanTheOperations(JsonObject config) {
        String domain = text(config, "operand_domain", null);
        if (domain == null || !config.has("ops") || !config.get("ops").isJsonArray()) {
            return domain;
        }
        for (JsonElement op : config.getAsJsonArray("ops")) {
            if (!Operations.isKnown(op.getAsString()) || !Operations.resolve(op.getAsString()).domain().jsonName().equals(domain)) {
                return domain;
            }
        }
        return null;
    }

    private static void expect(List<String> out, Object got, Object paper, String field) {
        if (!got.equals(paper)) {
            out.add(field + " " + got);
        }
    }

    private static long number(JsonObject o, String key, long fallback) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : fallback;
    }

    private static String text(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : fallback;
    }

    private static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }
}
