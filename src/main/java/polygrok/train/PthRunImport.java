package polygrok.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;
import polygrok.io.torch.TorchCheckpoint;
import polygrok.io.torch.TorchTensor;

/**
 * Turns a run directory of the original training script (init.pth, 0.pth, 2000.pth, ...) into a
 * polygrok run directory that `analyze` and `report` read: config.json with what the files tell (p
 * from the embedding's width, the model's shape from the weights, the train fraction and operand
 * range from init.pth's split) and the operation the caller names (the files do not record it), and
 * checkpoints/init, epoch_N. The original saves {@code E.pth} after epoch E's step, which polygrok
 * calls the state after E + 1 epochs: epoch_{E+1}.
 */
public final class PthRunImport {
    private static final Pattern EPOCH_FILE = Pattern.compile("(\\d+)\\.pth");

    private PthRunImport() {
    }

    /** Whether a directory looks like the original script's: .pth files and no polygrok config.json. */
    public static boolean isPthRun(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve("config.json"))) {
            return false;
        }
        return !pthFiles(dir).isEmpty();
    }

    /** init.pth first, then E.pth by E. */
    static List<Path> pthFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().equals("init.pth") || EPOCH_FILE.matcher(p.getFileName().toString()).matches())
                    .forEach(out::add);
        }
        out.sort(Comparator.comparingLong(p -> p.getFileName().toString().equals("init.pth") ? -1
                : Long.parseLong(p.getFileName().toString().replace(".pth", ""))));
        return out;
    }

    /**
     * Writes the polygrok run directory {@code out} from the original run {@code dir}; returns its config.
     *
     * @param op the operation the original run trained (a polygrok name or an expression)
     */
    public static ExperimentConfig importRun(Path dir, Path out, String op) throws IOException {
        List<Path> files = pthFiles(dir);
        if (files.isEmpty()) {
            throw new IOException(dir + " holds no init.pth or N.pth files of the original training script");
        }
        Map<Path, TorchCheckpoint> read = new LinkedHashMap<>();
        for (Path f : files) {
            read.put(f, TorchCheckpoint.read(f));
        }
        ExperimentConfig config = infer(dir, read, op);
        RunDirectory run = new RunDirectory(out);
        run.create();
        String configJson = ConfigLoader.toJson(config);
        JsonObject withSource = JsonParser.parseString(configJson).getAsJsonObject();
        JsonObject provenance = new JsonObject();
        provenance.addProperty("imported_from", "original training script's .pth files");
        provenance.addProperty("files", files.size());
        withSource.add(ConfigLoader.PROVENANCE, provenance);
        run.writeConfig(Json.pretty(withSource) + "\n");
        java.nio.file.Files.deleteIfExists(run.metricsFile());
        for (var e : read.entrySet()) {
            String name = e.getKey().getFileName().toString();
            TorchCheckpoint ck = e.getValue();
            if (!name.equals("init.pth") && !Double.isNaN(ck.trainLoss())) {
                // the losses the script saved with E.pth: of the weights before epoch E's step, as a metrics line of epoch E
                JsonObject line = new JsonObject();
                int logged = Integer.parseInt(name.replace(".pth", ""));
                line.addProperty("epoch", logged);
                line.addProperty("step", logged);
                line.addProperty("train_loss", ck.trainLoss());
                line.addProperty("test_loss", ck.testLoss());
                run.appendMetrics(line);
            }
            int epoch = name.equals("init.pth") ? 0 : Integer.parseInt(name.replace(".pth", "")) + 1;
            SafetensorsFile f = e.getValue().toSafetensors();
            Map<String, SafeTensor> tensors = new LinkedHashMap<>(f.tensors());
            tensors.keySet().removeIf(k -> k.endsWith(".mask")); // the causal mask is a buffer, not a weight
            Map<String, String> meta = new LinkedHashMap<>(f.metadata());
            meta.put("epoch", Integer.toString(epoch));
            meta.putIfAbsent("step", Integer.toString(epoch));
            meta.put("config", configJson);
            meta.put("source_file", name);
            Safetensors.write(name.equals("init.pth") ? run.checkpoint("init") : run.epochCheckpoint(epoch),
                    new SafetensorsFile(meta, tensors));
        }
        return config;
    }

    private static ExperimentConfig infer(Path dir, Map<Path, TorchCheckpoint> read, String op) throws IOException {
        TorchCheckpoint any = read.values().iterator().next();
        TorchTensor we = any.model().get("embed.W_E"), wq = any.model().get("blocks.0.attn.W_Q"),
                win = any.model().get("blocks.0.mlp.W_in");
        if (we == null || wq == null || win == null) {
            throw new IOException(dir + ": the state dict lacks embed.W_E, blocks.0.attn.W_Q or blocks.0.mlp.W_in; it has "
                    + any.model().keySet() + " (only the original Transformer is imported)");
        }
        int vocab = we.shape()[1], p = vocab - 5;
        int layers = (int) any.model().keySet().stream().filter(k -> k.matches("blocks\\.\\d+\\.attn\\.W_Q")).count();
        TorchCheckpoint init = read.entrySet().stream().filter(e -> e.getKey().getFileName().toString().equals("init.pth"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        String name = dir.toAbsolutePath().getFileName() == null ? "imported" : SafeName.of(dir.toAbsolutePath().getFileName().toString());
        JsonObject c = JsonParser.parseString(ConfigLoader.toJson(ExperimentConfig.defaults(name, List.of(op)))).getAsJsonObject();
        c.addProperty("p", p);
        if (init != null && !init.trainData().isEmpty()) {
            int n = init.trainData().size() + init.testData().size();
            c.addProperty("train_fraction", (double) init.trainData().size() / n);
            c.addProperty("operand_range", n == vocab * vocab ? "p+5" : "p");
        } else {
            c.addProperty("operand_range", "p+5"); // the original's range; the split itself is only in init.pth
        }
        JsonObject model = c.getAsJsonObject("model");
        model.addProperty("d_model", we.shape()[0]);
        model.addProperty("num_layers", layers);
        model.addProperty("num_heads", wq.shape()[0]);
        model.addProperty("d_mlp", win.shape()[0]);
        model.addProperty("act", "ReLU"); // the original configs' activation; the weights do not say
        c.addProperty("checkpoint_every", 0);
        try {
            c.addProperty("name", name);
            return ConfigLoader.parse(c.toString(), name + ".json");
        } catch (polygrok.config.ConfigException e) {
            throw new IOException("cannot describe " + dir + " as a polygrok run: " + e.getMessage(), e);
        }
    }

    /** A directory name as a run name: characters a run name may not hold become '_'. */
    static final class SafeName {
        static String of(String s) {
            String cleaned = s.replaceAll("[^A-Za-z0-9_.+,=-]", "_");
            return cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0)) ? "run" + cleaned : cleaned;
        }
    }
}
