package polygrok.analysis;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a run directory in the trainer's format whose numbers tell a grokking story: train accuracy
 * rises early, test accuracy late, and W_E moves from random to a few key frequencies. Small sizes
 * keep tests fast: p 23, d_model 16, 2 heads, d_mlp 32.
 */
public final class SyntheticRun {
    public static final int P = 23;
    public static final int D_MODEL = 16;
    public static final int HEADS = 2;
    public static final int D_HEAD = 8;
    public static final int D_MLP = 32;
    public static final int EPOCHS = 2000;
    public static final int[] KEY_FREQUENCIES = {4, 9};
    public static final int[] CHECKPOINT_EPOCHS = {500, 1000, 1500};

    private SyntheticRun() {
    }

    /** A run of the given ops and seed; {@code grokEpoch} moves where test accuracy rises. */
    public static Path write(Path dir, String name, List<String> ops, int seed, int grokEpoch) {
        try {
            Files.createDirectories(dir.resolve("checkpoints"));
            Gson gson = new Gson();
            JsonObject config = config(name, ops, seed);
            Files.writeString(dir.resolve("config.json"), gson.toJson(config));
            StringBuilder metrics = new StringBuilder();
            JsonObject last = null;
            Integer[] reached = new Integer[3];
            double[] thresholds = {0.5, 0.9, 0.99};
            double best = 0;
            for (int epoch = 0; epoch <= EPOCHS; epoch += 20) {
                JsonObject line = metricsLine(epoch, ops, grokEpoch);
                metrics.append(gson.toJson(line)).append('\n');
                double acc = line.get("test_acc").getAsDouble();
                best = Math.max(best, acc);
                for (int i = 0; i < 3; i++) {
                    if (reached[i] == null && acc >= thresholds[i]) {
                        reached[i] = epoch;
                    }
                }
                last = line;
            }
            Files.writeString(dir.resolve("metrics.jsonl"), metrics.toString());
            JsonObject summary = new JsonObject();
            summary.addProperty("name", name);
            summary.addProperty("seed", seed);
            JsonArray opsJson = new JsonArray();
            ops.forEach(opsJson::add);
            summary.add("ops", opsJson);
            summary.addProperty("p", P);
            summary.addProperty("train_fraction", 0.3);
            summary.addProperty("backend", "cpu");
            summary.addProperty("epochs_run", EPOCHS);
            summary.addProperty("wall_s", 12.5);
            JsonObject to = new JsonObject();
            for (int i = 0; i < 3; i++) {
                to.addProperty(String.valueOf(thresholds[i]), reached[i]);
            }
            summary.add("epochs_to_acc", to);
            summary.addProperty("best_test_acc", best);
            summary.add("final", last);
            Files.writeString(dir.resolve("summary.json"), gson.toJson(summary));

            Random rng = new Random(seed);
            double[][] randomEmbed = gaussian(rng, D_MODEL, P + 5, 1 / Math.sqrt(P + 5));
            Map<String, double[][]> base = new LinkedHashMap<>();
            for (String w : new String[]{"W_Q", "W_K", "W_V"}) {
                base.put("blocks.0.attn." + w, gaussian(rng, HEADS * D_HEAD, D_MODEL, 1 / Math.sqrt(D_MODEL)));
            }
            base.put("blocks.0.attn.W_O", gaussian(rng, D_MODEL, HEADS * D_HEAD, 1 / Math.sqrt(D_MODEL)));
            base.put("blocks.0.mlp.W_in", gaussian(rng, D_MLP, D_MODEL, 1 / Math.sqrt(D_MODEL)));
            base.put("blocks.0.mlp.W_out", gaussian(rng, D_MODEL, D_MLP, 1 / Math.sqrt(D_MODEL)));
            base.put("unembed.W_U", gaussian(rng, D_MODEL, P + 5, 1 / Math.sqrt(D_MODEL)));
            writeCheckpoint(dir.resolve("checkpoints/init.safetensors"), config, 0, randomEmbed, base, 0);
            for (int e : CHECKPOINT_EPOCHS) {
                writeCheckpoint(dir.resolve("checkpoints/epoch_" + e + ".safetensors"), config, e, randomEmbed, base,
                        progress(e, grokEpoch));
            }
            writeCheckpoint(dir.resolve("checkpoints/final.safetensors"), config, EPOCHS, randomEmbed, base, progress(EPOCHS, grokEpoch));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double progress(int epoch, int grokEpoch) {
        return 1 / (1 + Math.exp(-(epoch - grokEpoch) / 100.0));
    }

    private static JsonObject config(String name, List<String> ops, int seed) {
        JsonObject c = new JsonObject();
        c.addProperty("name", name);
        c.addProperty("p", P);
        JsonArray opsJson = new JsonArray();
        ops.forEach(opsJson::add);
        c.add("ops", opsJson);
        c.addProperty("train_fraction", 0.3);
        JsonObject model = new JsonObject();
        model.addProperty("type", "transformer");
        model.addProperty("d_model", D_MODEL);
        model.addProperty("num_layers", 1);
        model.addProperty("num_heads", HEADS);
        model.addProperty("d_mlp", D_MLP);
        model.addProperty("act", "relu");
        c.add("model", model);
        JsonArray seeds = new JsonArray();
        seeds.add(seed);
        c.add("seeds", seeds);
        return c;
    }

    private static JsonObject metricsLine(int epoch, List<String> ops, int grokEpoch) {
        double trainAcc = 1 / (1 + Math.exp(-(epoch - 150) / 30.0));
        double testAcc = 0.05 + 0.95 / (1 + Math.exp(-(epoch - grokEpoch) / 80.0));
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        o.addProperty("step", epoch);
        o.addProperty("wall_s", epoch * 0.006);
        put(o, trainAcc, testAcc);
        if (ops.size() > 1) {
            JsonObject tasks = new JsonObject();
            for (int i = 0; i < ops.size(); i++) {
                JsonObject t = new JsonObject();
                double shifted = 0.05 + 0.95 / (1 + Math.exp(-(epoch - grokEpoch - 150 * i) / 80.0));
                put(t, trainAcc, shifted);
                tasks.add(ops.get(i), t);
            }
            o.add("tasks", tasks);
        }
        JsonObject norms = new JsonObject();
        JsonObject n = new JsonObject();
        n.addProperty("l1", 100 - 0.02 * epoch);
        n.addProperty("l2", 10 - 0.002 * epoch);
        norms.add("embed.W_E", n);
        o.add("norms", norms);
        return o;
    }

    private static void put(JsonObject o, double trainAcc, double testAcc) {
        o.addProperty("train_loss", -Math.log(Math.max(trainAcc, 1e-6)) + 1e-7);
        o.addProperty("train_acc", trainAcc);
        o.addProperty("train_prob", trainAcc * 0.98);
        o.addProperty("test_loss", -Math.log(Math.max(testAcc, 1e-6)) + 1e-7);
        o.addProperty("test_acc", testAcc);
        o.addProperty("test_prob", testAcc * 0.97);
    }

    private static double[][] gaussian(Random rng, int rows, int cols, double std) {
        double[][] m = new double[rows][cols];
        for (double[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = std * rng.nextGaussian();
            }
        }
        return m;
    }

    /** W_E = (1 - s) * random + s * (cos and sin of the key frequencies in four rows). */
    private static void writeCheckpoint(Path file, JsonObject config, int epoch, double[][] randomEmbed,
                                        Map<String, double[][]> base, double s) throws IOException {
        double[][] we = new double[D_MODEL][P + 5];
        for (int i = 0; i < D_MODEL; i++) {
            for (int t = 0; t < P + 5; t++) {
                we[i][t] = (1 - s) * randomEmbed[i][t];
            }
        }
        for (int f = 0; f < KEY_FREQUENCIES.length; f++) {
            for (int t = 0; t < P; t++) {
                double angle = 2 * Math.PI * KEY_FREQUENCIES[f] * t / P;
                we[2 * f][t] += s * 0.8 * Math.cos(angle);
                we[2 * f + 1][t] += s * 0.8 * Math.sin(angle);
            }
        }
        Map<String, double[][]> params = new LinkedHashMap<>();
        params.put("embed.W_E", we);
        params.putAll(base);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("embed.W_E", new int[]{D_MODEL, P + 5});
        for (String w : new String[]{"W_Q", "W_K", "W_V"}) {
            shapes.put("blocks.0.attn." + w, new int[]{HEADS, D_HEAD, D_MODEL});
        }
        shapes.put("blocks.0.attn.W_O", new int[]{D_MODEL, HEADS * D_HEAD});
        shapes.put("blocks.0.mlp.W_in", new int[]{D_MLP, D_MODEL});
        shapes.put("blocks.0.mlp.W_out", new int[]{D_MODEL, D_MLP});
        shapes.put("unembed.W_U", new int[]{D_MODEL, P + 5});
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "polygrok-checkpoint-1");
        meta.put("config", new Gson().toJson(config));
        meta.put("seed", "0");
        meta.put("epoch", String.valueOf(epoch));
        meta.put("step", String.valueOf(epoch));
        writeSafetensors(file, params, shapes, meta);
    }

    private static void writeSafetensors(Path file, Map<String, double[][]> params, Map<String, int[]> shapes,
                                         Map<String, String> meta) throws IOException {
        List<SafeTensor> tensors = new java.util.ArrayList<>();
        for (Map.Entry<String, double[][]> e : params.entrySet()) {
            double[][] m = e.getValue();
            double[] flat = new double[m.length * m[0].length];
            for (int r = 0; r < m.length; r++) {
                System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
            }
            tensors.add(SafeTensor.f32(e.getKey(), shapes.get(e.getKey()), flat));
        }
        Safetensors.write(file, SafetensorsFile.of(meta, tensors));
    }
}
