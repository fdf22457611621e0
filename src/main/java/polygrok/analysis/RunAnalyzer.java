package polygrok.analysis;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import polygrok.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the Fourier analysis over every checkpoint of a run directory and writes analysis.json. */
public final class RunAnalyzer {
    public static final String FILE_NAME = "analysis.json";

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeSpecialFloatingPointValues()
            .setPrettyPrinting()
            .create();

    private final double eta;
    private final GridLogitsSource gridLogits; // may be null: no loss ablation

    /**
     * @param eta FFD threshold
     * @param gridLogits the model hook for restricted/excluded loss, or null to skip it
     */
    public RunAnalyzer(double eta, GridLogitsSource gridLogits) {
        if (!(eta >= 0 && eta < 1)) {
            throw new IllegalArgumentException("FFD threshold eta must be in [0, 1), got " + eta);
        }
        this.eta = eta;
        this.gridLogits = gridLogits;
    }

    public RunAnalysis analyze(Path runDir) {
        JsonObject config = readConfig(runDir);
        int p = config.get("p").getAsInt();
        List<String> ops = new ArrayList<>();
        if (config.has("ops")) {
            config.getAsJsonArray("ops").forEach(e -> ops.add(e.getAsString()));
        }
        List<Path> files = CheckpointFiles.list(runDir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("run " + runDir + " has no checkpoints under checkpoints/ to analyse");
        }
        List<CheckpointMeasures> measures = new ArrayList<>();
        Checkpoint last = null;
        for (Path f : files) {
            Checkpoint c = CheckpointFiles.read(f);
            refuseNonFinite(c);
            ModelWeights w = ModelWeights.of(c, p);
            FourierLossAblation.Result ablation = null;
            if (gridLogits != null) {
                CheckpointMeasures plain = CheckpointMeasures.of(c, w, eta, null);
                ablation = FourierLossAblation.compute(gridLogits.at(c), p, gridLogits.labels(), plain.keyFrequencies(), null);
            }
            CheckpointMeasures m = CheckpointMeasures.of(c, w, eta, ablation);
            if (!measures.isEmpty() && c.epoch() >= 0 && measures.get(measures.size() - 1).epoch() == c.epoch()) {
                measures.set(measures.size() - 1, m); // final.safetensors repeats the last epoch_N: keep one, labelled final
            } else {
                measures.add(m);
            }
            last = c;
        }
        EmbeddingPca pca = EmbeddingPca.ofColumns(last.parameter("embed.W_E").asMatrix(), p);
        Integer g = p >= 3 && DiscreteLogSpectrum.isPrime(p) ? DiscreteLogSpectrum.smallestPrimitiveRoot(p) : null;
        return new RunAnalysis(p, ops, eta, KeyFrequencies.DEFAULT_ENERGY_FRACTION, g, measures,
                new RunAnalysis.Pca(last.label(), last.epoch(), pca.coordinates(), pca.explainedVariance()));
    }

    /** Fourier measures of NaN weights would read as numbers (an FFD of 0); say what the checkpoint holds instead. */
    private static void refuseNonFinite(Checkpoint c) {
        for (NamedTensor t : c.parameters().values()) {
            long bad = java.util.Arrays.stream(t.values()).filter(v -> !Double.isFinite(v)).count();
            if (bad > 0) {
                throw new IllegalArgumentException("checkpoint " + c.file() + ": " + t.name() + " holds " + bad + " non-finite value(s)"
                        + " (NaN or infinity); its measures would mean nothing. Analyse a run directory whose checkpoints hold"
                        + " numbers (a run that diverged keeps its last good checkpoint)");
            }
        }
    }

    /** Analyses and writes RUN/analysis.json (through a temporary file, so a reader never sees half of it). */
    public RunAnalysis analyzeAndWrite(Path runDir) {
        RunAnalysis a = analyze(runDir);
        write(a, runDir.resolve(FILE_NAME));
        return a;
    }

    public static void write(RunAnalysis a, Path file) {
        try {
            AtomicFiles.writeString(file, GSON.toJson(polygrok.io.FiniteJson.of(GSON.toJsonTree(a))));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e); // AtomicFiles names the file and the reason
        }
    }

    public static RunAnalysis read(Path file) {
        try {
            com.google.gson.JsonElement tree = com.google.gson.JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return GSON.fromJson(polygrok.io.FiniteJson.restore(tree), RunAnalysis.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** RUN/config.json, or failing that the config stored in the first checkpoint's metadata. */
    static JsonObject readConfig(Path runDir) {
        Path file = runDir.resolve("config.json");
        JsonObject config = polygrok.io.JsonFiles.readObjectIfPresent(file);
        if (config != null && config.has("p")) {
            return config;
        }
        for (Path f : CheckpointFiles.list(runDir)) {
            String text = CheckpointFiles.read(f).config();
            if (!text.isBlank()) {
                JsonObject o = JsonParser.parseString(text).getAsJsonObject();
                if (o.has("p")) {
                    return o;
                }
            }
        }
        throw new IllegalArgumentException("run " + runDir + ": no config.json with \"p\" and no config in the checkpoint metadata");
    }
}
