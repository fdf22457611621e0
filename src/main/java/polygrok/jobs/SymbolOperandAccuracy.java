package polygrok.jobs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import polygrok.analysis.Checkpoint;
import polygrok.analysis.CheckpointFiles;
import polygrok.analysis.NamedTensor;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.data.Datasets;
import polygrok.data.Examples;
import polygrok.data.SplitData;
import polygrok.io.AtomicFiles;
import polygrok.model.ForwardOptions;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;
import polygrok.train.Experiments;
import polygrok.train.ModelState;

/**
 * Test accuracy split by operand kind, for runs over the original code's operand range p + 5: pairs of
 * two numbers (both below p) against pairs in which an operand is one of the five symbol tokens (p..p+4,
 * read as numbers by the task). The symbol pairs are about 10% of the data, and a model can only learn
 * to read a symbol as a number from the train pairs holding it: if a run stalls short of 99%, this says
 * whether the symbol pairs are what holds it back. Written to RUN/operand_split.json, one entry per
 * checkpoint.
 */
public final class SymbolOperandAccuracy {
    public static final String FILE_NAME = polygrok.analysis.paper.OperandSplitAtEnd.FILE_NAME;

    /** Accuracy on one checkpoint's test pairs: of number pairs, of pairs with a symbol operand. */
    public record Split(String label, int epoch, int numberPairs, double numberAcc, int symbolPairs, double symbolAcc) {
    }

    private SymbolOperandAccuracy() {
    }

    /** The split over every checkpoint of a run over p + 5 operands, written beside it; empty for any other run. */
    public static List<Split> analyze(Path run) {
        Path configFile = run.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            return List.of();
        }
        ExperimentConfig c;
        try {
            c = ConfigLoader.parse(Files.readString(configFile, StandardCharsets.UTF_8), configFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configFile + ": " + e.getMessage(), e);
        }
        if (!"p+5".equals(c.operandRange()) || c.ops().size() != 1) {
            return List.of();
        }
        SplitData data = Datasets.build(Experiments.dataSpec(c), c.seeds().get(0));
        Examples test = data.test();
        boolean[] symbol = new boolean[test.count()];
        for (int i = 0; i < test.count(); i++) {
            for (int operand : test.operandsOf(i)) {
                symbol[i] |= operand >= c.p();
            }
        }
        List<Split> out = new java.util.ArrayList<>();
        try (Backend backend = Backends.create(ModelGridLogits.backendFor(run), line -> { })) {
            var spec = Experiments.modelSpec(c, data);
            ModelGroup group = new ModelGroup(backend, Model.of(spec), List.of(Experiments.optimizer(c)), Set.of());
            Tensor tokens = backend.ints(Shape.of(1, test.count(), test.nCtx()), test.tokens());
            for (Path file : CheckpointFiles.list(run)) {
                Checkpoint ck = CheckpointFiles.read(file);
                Map<String, double[]> values = new HashMap<>();
                for (NamedTensor t : ck.parameters().values()) {
                    values.put(t.name(), t.values());
                }
                ModelState.patch(group, group.params().block(), 0, values);
                double[] logits = backend.toDoubles(group.logits(tokens, ForwardOptions.FAST)); // [1, N, V]
                int v = logits.length / test.count();
                int[] right = new int[2], count = new int[2];
                for (int i = 0; i < test.count(); i++) {
                    int best = 0;
                    for (int k = 1; k < v; k++) {
                        best = logits[i * v + k] > logits[i * v + best] ? k : best;
                    }
                    int kind = symbol[i] ? 1 : 0;
                    count[kind]++;
                    right[kind] += best == test.labels()[i] ? 1 : 0;
                }
                out.add(new Split(ck.label(), ck.epoch(), count[0], count[0] == 0 ? Double.NaN : right[0] / (double) count[0],
                        count[1], count[1] == 0 ? Double.NaN : right[1] / (double) count[1]));
            }
        }
        write(run.resolve(FILE_NAME), out);
        return out;
    }

    private static void write(Path file, List<Split> splits) {
        JsonArray a = new JsonArray();
        for (Split s : splits) {
            JsonObject o = new JsonObject();
            o.addProperty("checkpoint", s.label());
            o.addProperty("epoch", s.epoch());
            o.addProperty("number_pairs", s.numberPairs());
            o.addProperty("number_pairs_test_acc", s.numberAcc());
            o.addProperty("symbol_pairs", s.symbolPairs());
            o.addProperty("symbol_pairs_test_acc", s.symbolAcc());
            a.add(o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("what", "test accuracy on pairs of two numbers (operands below p) and on pairs with a symbol token"
                + " (p..p+4) as an operand, per checkpoint");
        root.add("checkpoints", a);
        try {
            AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
