package polygrok.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;

/**
 * A PyTorch-produced reference file (format {@code polygrok-reference-1}, see the reference
 * directory's README): the model config, the op and optimizer the tensors follow, and the tensors
 * by group. Group accessors return maps keyed by parameter name with the group prefix removed
 * ({@code param.embed.W_E} is {@code params().get("embed.W_E")}), in file order.
 *
 * <p>Loading checks the parts polygrok relies on: the format tag, the config, token and label
 * shapes and ranges, and that every gradient and AdamW group names the same tensors, with the same
 * shapes, as the parameters.
 */
public record ReferenceFile(Path path, String description, ReferenceConfig config, String op, ReferenceOptimizer optimizer,
                            SafetensorsFile contents) {

    public static final String FORMAT = "polygrok-reference-1";

    public static ReferenceFile load(Path path) throws IOException {
        SafetensorsFile contents = Safetensors.read(path);
        Map<String, String> meta = contents.metadata();
        String format = meta.get("format");
        if (!FORMAT.equals(format)) {
            throw new ReferenceFormatException(path, "metadata format is " + (format == null ? "missing" : "\"" + format + "\"")
                    + ", expected \"" + FORMAT + "\"");
        }
        for (String key : new String[] {"config", "op", "optimizer"}) {
            if (!meta.containsKey(key)) {
                throw new ReferenceFormatException(path, "metadata lacks \"" + key + "\" (has " + meta.keySet() + ")");
            }
        }
        ReferenceFile file;
        try {
            file = new ReferenceFile(path, meta.getOrDefault("description", ""), parseConfig(path, meta.get("config")),
                    meta.get("op"), parseOptimizer(path, meta.get("optimizer")), contents);
        } catch (IllegalArgumentException e) {
            throw new ReferenceFormatException(path, e.getMessage());
        }
        file.checkConsistent();
        return file;
    }

    /** Initial weights ({@code param.*}). */
    public Map<String, SafeTensor> params() {
        return group("param.");
    }

    /** Float32 gradients of {@link #loss()} ({@code grad.*}). */
    public Map<String, SafeTensor> grads() {
        return group("grad.");
    }

    /** Float64 gradients of {@link #f64Loss()} ({@code f64.grad.*}). */
    public Map<String, SafeTensor> f64Grads() {
        return group("f64.grad.");
    }

    /** Saved activations ({@code act.*}: blocks.l.attn.pattern, blocks.l.mlp.pre, blocks.l.resid_post); empty for the MLP model. */
    public Map<String, SafeTensor> activations() {
        return contents.withPrefix("act.");
    }

    /** Float32 weights after one AdamW step. */
    public Map<String, SafeTensor> adamwStep1() {
        return group("adamw.step1.");
    }

    /** Float32 weights after three AdamW steps. */
    public Map<String, SafeTensor> adamwStep3() {
        return group("adamw.step3.");
    }

    /** Float64 weights after one AdamW step. */
    public Map<String, SafeTensor> f64AdamwStep1() {
        return group("f64.adamw.step1.");
    }

    /** Float64 weights after three AdamW steps. */
    public Map<String, SafeTensor> f64AdamwStep3() {
        return group("f64.adamw.step3.");
    }

    /** Input tokens [B][n_ctx]: [a, op-token, b] per example. */
    public int[][] tokens() {
        SafeTensor t = contents.tensor("input.tokens");
        int[] flat = t.intValues();
        int b = t.dim(0);
        int n = t.dim(1);
        int[][] out = new int[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(flat, i * n, (i + 1) * n);
        }
        return out;
    }

    /** Answer token per example [B]. */
    public int[] labels() {
        return contents.tensor("input.labels").intValues();
    }

    /** Last-position logits of the float32 forward [B, V]. */
    public SafeTensor logits() {
        return contents.tensor("out.logits");
    }

    /** Last-position logits with every op in float64 [B, V]. */
    public SafeTensor f64Logits() {
        return contents.tensor("f64.out.logits");
    }

    /** Mean cross-entropy of the float32 logits, computed in float64. */
    public double loss() {
        return contents.tensor("out.loss").values()[0];
    }

    /** Mean cross-entropy with every op in float64. */
    public double f64Loss() {
        return contents.tensor("f64.out.loss").values()[0];
    }

    /** Any tensor by its full name. */
    public SafeTensor tensor(String name) {
        return contents.tensor(name);
    }

    private Map<String, SafeTensor> group(String prefix) {
        Map<String, SafeTensor> g = contents.withPrefix(prefix);
        if (g.isEmpty()) {
            throw new IllegalArgumentException(path + ": no tensors named " + prefix + "*");
        }
        return g;
    }

    private void checkConsistent() throws ReferenceFormatException {
        try {
            int b = requireShape("input.tokens", -1, config.nCtx())[0];
            requireShape("input.labels", b);
            requireShape("out.logits", b, config.dVocab());
            requireShape("f64.out.logits", b, config.dVocab());
            requireShape("out.loss", 1);
            requireShape("f64.out.loss", 1);
            for (int[] row : tokens()) {
                for (int tok : row) {
                    requireToken("input.tokens", tok);
                }
            }
            for (int label : labels()) {
                requireToken("input.labels", label);
            }
            Map<String, SafeTensor> params = params();
            for (String prefix : new String[] {"grad.", "f64.grad.", "adamw.step1.", "adamw.step3.", "f64.adamw.step1.",
                    "f64.adamw.step3."}) {
                Map<String, SafeTensor> g = group(prefix);
                if (!g.keySet().equals(params.keySet())) {
                    throw new IllegalArgumentException(prefix + "* names " + g.keySet() + " but param.* names " + params.keySet());
                }
                for (SafeTensor p : params.values()) {
                    if (!Arrays.equals(p.shape(), g.get(p.name()).shape())) {
                        throw new IllegalArgumentException(prefix + p.name() + " has shape " + Arrays.toString(g.get(p.name()).shape())
                                + " but param." + p.name() + " has " + Arrays.toString(p.shape()));
                    }
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ReferenceFormatException(path, e.getMessage());
        }
    }

    /** The shape of {@code name}, which must match {@code expected} (-1 matches any size). */
    private int[] requireShape(String name, int... expected) {
        int[] shape = contents.tensor(name).shape();
        boolean ok = shape.length == expected.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = expected[i] < 0 || expected[i] == shape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + ", expected "
                    + Arrays.toString(expected).replace("-1", "any"));
        }
        return shape;
    }

    private void requireToken(String name, int token) {
        if (token < 0 || token >= config.dVocab()) {
            throw new IllegalArgumentException(name + " holds token " + token + ", outside [0, " + config.dVocab() + ")");
        }
    }

    static ReferenceConfig parseConfig(Path path, String json) throws ReferenceFormatException {
        JsonObject o = parseJson(path, "config", json);
        return new ReferenceConfig(string(path, "config", o, "model"), integer(path, "config", o, "p"), integer(path, "config", o, "d_vocab"),
                integer(path, "config", o, "d_model"), integer(path, "config", o, "num_heads"), integer(path, "config", o, "d_head"), integer(path, "config", o, "d_mlp"),
                integer(path, "config", o, "num_layers"), string(path, "config", o, "act_type"), integer(path, "config", o, "n_ctx"), integer(path, "config", o, "d_emb"),
                number(path, "config", o, "weight_scale"));
    }

    static ReferenceOptimizer parseOptimizer(Path path, String json) throws ReferenceFormatException {
        JsonObject o = parseJson(path, "optimizer", json);
        JsonElement betas = field(path, "optimizer", o, "betas");
        if (!betas.isJsonArray() || betas.getAsJsonArray().size() != 2) {
            throw new ReferenceFormatException(path, "optimizer.betas must be an array of two numbers, got " + betas);
        }
        JsonArray b = betas.getAsJsonArray();
        return new ReferenceOptimizer(number(path, "optimizer", o, "lr"), number(path, "optimizer", o, "weight_decay"), asNumber(path, "optimizer.betas[0]", b.get(0)),
                asNumber(path, "optimizer.betas[1]", b.get(1)), number(path, "optimizer", o, "eps"));
    }

    private static JsonObject parseJson(Path path, String key, String json) throws ReferenceFormatException {
        try {
            JsonElement e = JsonParser.parseString(json);
            if (e.isJsonObject()) {
                return e.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            throw new ReferenceFormatException(path, "metadata " + key + " is not JSON: " + e.getMessage());
        }
        throw new ReferenceFormatException(path, "metadata " + key + " must be a JSON object, got " + json);
    }

    private static JsonElement field(Path path, String section, JsonObject o, String key) throws ReferenceFormatException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new ReferenceFormatException(path, "metadata " + section + " lacks field " + key + " (has " + o.keySet() + ")");
        }
        return e;
    }

    private static String string(Path path, String section, JsonObject o, String key) throws ReferenceFormatException {
        JsonElement e = field(path, section, o, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ReferenceFormatException(path, "metadata field " + section + "." + key + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static double number(Path path, String section, JsonObject o, String key) throws ReferenceFormatException {
        return asNumber(path, section + "." + key, field(path, section, o, key));
    }

    private static double asNumber(Path path, String key, JsonElement e) throws ReferenceFormatException {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ReferenceFormatException(path, "metadata field " + key + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }

    private static int integer(Path path, String section, JsonObject o, String key) throws ReferenceFormatException {
        double v = number(path, section, o, key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new ReferenceFormatException(path, "metadata field " + section + "." + key + " must be an integer, got " + v);
        }
        return (int) v;
    }
}
