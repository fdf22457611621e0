package polygrok.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import polygrok.config.InitConfig;
import polygrok.io.SafeTensor;
import polygrok.io.SafetensorsFile;
import polygrok.model.ParameterLayout;
import polygrok.model.ParameterSpec;

/**
 * Where a fine-tuning run starts: parameters loaded from a checkpoint (polygrok's, or any safetensors
 * file with the seed's state_dict names, optionally under a key prefix such as "param.") and the
 * parameters kept frozen. Components use the seed's names: full, embed, transformer, unembed.
 *
 * @param overrides parameters replacing the seeded initial values
 * @param frozen    parameter names neither updated nor decayed
 * @param sha256    hex digest of the checkpoint file, recorded in the run's config (null without one)
 * @param sourceOps the operations the checkpoint was trained on, from its metadata (empty when unknown), so a
 *                  fine-tuned run says what it transfers from even after its source moves
 * @param sourceEpoch the epoch the checkpoint was written after (-1 when unknown)
 * @param optimizer  AdamW's moments and step taken from the checkpoint (load_optimizer), or null
 */
public record InitialWeights(Map<String, double[]> overrides, Set<String> frozen, String sha256,
                             List<String> sourceOps, int sourceEpoch, OptimizerStart optimizer) {
    /** AdamW's state to start from: first and second moments of the loaded tensors, by name, and the step count. */
    public record OptimizerStart(Map<String, double[]> moment1, Map<String, double[]> moment2, long step) {
    }

    public InitialWeights {
        sourceOps = List.copyOf(sourceOps);
    }

    public InitialWeights(Map<String, double[]> overrides, Set<String> frozen, String sha256) {
        this(overrides, frozen, sha256, List.of(), -1, null);
    }


    public static final InitialWeights FRESH = new InitialWeights(Map.of(), Set.of(), null);

    /** The parameter names a component stands for in this model. */
    public static List<String> component(String component, ParameterLayout layout) {
        return layout.specs().stream().map(ParameterSpec::name).filter(n -> switch (component) {
            case "full" -> true;
            case "embed" -> n.equals("embed.W_E");
            case "unembed" -> n.equals("unembed.W_U");
            case "transformer" -> n.startsWith("blocks.");
            default -> throw new IllegalArgumentException("unknown component '" + component
                    + "'; allowed: full, embed, transformer, unembed");
        }).toList();
    }

    /**
     * Every seed's initial weights; a checkpoint path without {@value InitConfig#SEED} gives all seeds
     * the same weights (read once).
     */
    public static Map<Long, InitialWeights> resolveSeeds(InitConfig init, ParameterLayout layout, List<Long> seeds)
            throws IOException {
        Map<String, InitialWeights> byFile = new LinkedHashMap<>();
        Map<Long, InitialWeights> bySeed = new LinkedHashMap<>();
        for (long seed : seeds) {
            String file = init == null ? null : init.checkpointFor(seed);
            InitialWeights w = byFile.get(file);
            if (w == null) {
                w = resolve(init, layout, seed);
                byFile.put(file, w);
            }
            bySeed.put(seed, w);
        }
        return bySeed;
    }

    /**
     * One run's initial weights. A relative checkpoint path is read from the working directory, as
     * `train` and `sweep` document.
     *
     * @param seed the run's seed, for a checkpoint path with {@value InitConfig#SEED}
     */
    public static InitialWeights resolve(InitConfig init, ParameterLayout layout, long seed) throws IOException {
        if (init == null) {
            return FRESH;
        }
        Set<String> frozen = new LinkedHashSet<>();
        for (String c : init.freeze()) {
            frozen.addAll(component(c, layout));
        }
        for (String c : init.freezeRandom()) {
            frozen.addAll(component(c, layout));
        }
        if (init.checkpoint() == null) {
            return new InitialWeights(Map.of(), frozen, null);
        }
        String path = init.checkpointFor(seed);
        Path file = Path.of(path);
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException("init.checkpoint: " + file + (Files.isDirectory(file) ? " is a directory" : " is not a regular file"
                    + " (a FIFO, socket or device)") + "; give the path of a safetensors checkpoint");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("init.checkpoint: no such file " + file
                    + (init.checkpoint().contains(InitConfig.SEED) ? " (" + init.checkpoint() + " for seed " + seed
                    + "; train that seed of the source first, or list only seeds it has)" : ""));
        }
        SafetensorsFile f = polygrok.train.WeightFiles.read(file); // safetensors, or the original code's .pth
        Map<String, double[]> overrides = new LinkedHashMap<>();
        for (String c : init.load()) {
            for (String name : component(c, layout)) {
                ParameterSpec spec = layout.spec(name);
                String key = init.keyPrefix() + name;
                if (!f.has(key)) {
                    throw new IOException("init.checkpoint " + file + " has no tensor '" + key + "' needed to load '" + c
                            + "'" + (init.keyPrefix().isEmpty() ? "" : " (key prefix \"" + init.keyPrefix() + "\")")
                            + "; it has " + f.tensors().size() + " tensors, e.g. " + f.tensors().keySet().stream().limit(6).toList()
                            + "; " + explainMissing(name, f.tensors().keySet()));
                }
                SafeTensor t = f.tensor(key);
                if (!Arrays.equals(t.shape(), spec.shape().dims())) {
                    throw new IOException("init.checkpoint " + file + ": tensor '" + key + "' has shape "
                            + Arrays.toString(t.shape()) + " but this model's " + name + " is " + spec.shape()
                            + "; " + explain(name) + differences(name, t.shape(), spec.shape().dims()));
                }
                overrides.put(name, finite(file, key, t.weights("init.checkpoint " + file)));
            }
        }
        OptimizerStart optimizer = null;
        if (init.loadOptimizer()) {
            Map<String, double[]> m1 = new LinkedHashMap<>(), m2 = new LinkedHashMap<>();
            for (String name : overrides.keySet()) {
                for (String kind : List.of("m", "v")) {
                    String key = "opt." + kind + "." + init.keyPrefix() + name;
                    if (!f.has(key)) {
                        throw new IOException("init.load_optimizer: " + file + " has no " + key + " (AdamW's "
                                + (kind.equals("m") ? "first" : "second") + " moment of " + name + "); it was saved without"
                                + " an optimizer state, or leave load_optimizer out");
                    }
                    (kind.equals("m") ? m1 : m2).put(name, finite(file, key, f.tensor(key).weights("init.checkpoint " + file)));
                }
            }
            String step = f.metadata().get("step");
            if (step == null) {
                throw new IOException("init.load_optimizer: " + file + " does not record the step count (metadata 'step')");
            }
            optimizer = new OptimizerStart(m1, m2, Long.parseLong(step.trim()));
        }
        return new InitialWeights(overrides, frozen, sha256(file), sourceOps(f), sourceEpoch(f), optimizer);
    }

    /** The ops of the config a polygrok checkpoint records; empty for other files (e.g. PyTorch reference files). */
    /**
     * The values, refused if any is NaN or infinite: a run started from them would stop at its first
     * eval with nothing to fall back on, so the file and tensor are named before anything trains.
     */
    private static double[] finite(Path file, String key, double[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                long bad = java.util.Arrays.stream(values).filter(v -> !Double.isFinite(v)).count();
                throw new IOException("init.checkpoint " + file + ": tensor '" + key + "' holds " + values[i] + " at index " + i
                        + " (" + bad + " of " + values.length + " values are not finite); the run it comes from diverged:"
                        + " start from an earlier checkpoint of it");
            }
        }
        return values;
    }

    private static List<String> sourceOps(SafetensorsFile f) {
        String config = f.metadata().get("config");
        if (config == null) {
            return List.of();
        }
        try {
            var ops = com.google.gson.JsonParser.parseString(config).getAsJsonObject().getAsJsonArray("ops");
            List<String> out = new java.util.ArrayList<>();
            ops.forEach(e -> out.add(e.getAsString()));
            return out;
        } catch (RuntimeException e) {
            return List.of(); // not a config we wrote: the weights still load, the provenance just lacks the ops
        }
    }

    private static int sourceEpoch(SafetensorsFile f) {
        try {
            return Integer.parseInt(f.metadata().getOrDefault("epoch", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Why a parameter may be missing: another key prefix, fewer layers, or another model type. */
    private static String explainMissing(String name, Set<String> keys) {
        // files such as the reference ones hold the name under several prefixes (param., grad., ...): weights first
        List<String> prefixes = keys.stream().filter(k -> k.endsWith("." + name) && !k.startsWith("opt."))
                .map(k -> k.substring(0, k.length() - name.length()))
                .sorted(java.util.Comparator.comparing((String k) -> !k.contains("param")).thenComparing(String::length))
                .limit(5).toList();
        if (!prefixes.isEmpty()) {
            return "it has " + prefixes.get(0) + name + (prefixes.size() > 1 ? " (also under " + prefixes.subList(1, prefixes.size()) + ")" : "")
                    + ": set init.key_prefix (--key-prefix) to the prefix of the weights, e.g. \"" + prefixes.get(0) + "\"";
        }
        if (name.startsWith("blocks.")) {
            return "the checkpoint's model may have fewer layers or another type: check model.num_layers and model.type";
        }
        return "the checkpoint may hold another model type: check model.type (transformer or mlp) of both configs";
    }

    /**
     * What the differing axes say about the checkpoint's config: W_E and W_U are [d_model, V] with
     * V = p + 5 (+ mask and task tokens); the other tensors name d_model on some axis.
     */
    private static String differences(String name, int[] theirs, int[] ours) {
        if (theirs.length != ours.length) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if ((name.equals("embed.W_E") || name.equals("unembed.W_U")) && ours.length == 2) {
            if (theirs[0] != ours[0]) {
                sb.append("; the checkpoint's d_model (or d_emb) is ").append(theirs[0]).append(", this model's ").append(ours[0]);
            }
            if (theirs[1] != ours[1]) {
                sb.append("; the checkpoint's vocabulary is ").append(theirs[1]).append(" (p ").append(theirs[1] - 5)
                        .append(" without mask or task tokens), this model's ").append(ours[1]).append(" (p ")
                        .append(ours[1] - 5).append(" without mask or task tokens)");
            }
        }
        return sb.toString();
    }

    /** Which config fields decide a parameter's shape. */
    private static String explain(String name) {
        if (name.startsWith("embed.") || name.startsWith("unembed.")) {
            return "its shape follows model.d_model (or d_emb) and the vocabulary, p + 5 (+ n_mask, task tokens): check p and d_model";
        }
        if (name.contains(".attn.")) {
            return "its shape follows model.d_model and model.num_heads";
        }
        if (name.contains(".mlp.")) {
            return "its shape follows model.d_model and model.d_mlp";
        }
        return "check the model section of both configs";
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
