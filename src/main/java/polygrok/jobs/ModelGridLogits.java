package polygrok.jobs;

import polygrok.analysis.Checkpoint;
import polygrok.analysis.GridLogits;
import polygrok.analysis.GridLogitsSource;
import polygrok.analysis.NamedTensor;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.data.Datasets;
import polygrok.data.Examples;
import polygrok.data.SplitData;
import polygrok.model.ForwardOptions;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;
import polygrok.train.Experiments;
import polygrok.model.ModelGroup;
import polygrok.train.ModelState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The model side of the restricted/excluded loss: rebuilds a run's network from a checkpoint and
 * evaluates it on every (a, b) pair. Applies to single-task, two-operand runs whose train and test
 * splits together hold each pair of 0..p-1 exactly once (the default data); for anything else
 * {@link #forRun} says why and returns null, and analysis skips the loss ablation.
 */
public final class ModelGridLogits implements GridLogitsSource {
    private final ExperimentConfig config;
    private final ModelSpec spec;
    private final int p;
    private final int nCtx;
    private final int[] tokens;  // [p*p][nCtx], row a*p + b
    private final int[] labels;  // [p*p]
    private final Backend backend;

    private ModelGridLogits(ExperimentConfig config, ModelSpec spec, int p, int nCtx, int[] tokens, int[] labels, Backend backend) {
        this.config = config;
        this.spec = spec;
        this.p = p;
        this.nCtx = nCtx;
        this.tokens = tokens;
        this.labels = labels;
        this.backend = backend;
    }

    /**
     * The backend that recomputes a run's logits: cpuref for float64 checkpoints (written by cpuref: the
     * same numbers as training), the fast float32 cpu backend otherwise (the run itself was float32, and a
     * p 97 grid is 9409 forward passes per checkpoint).
     */
    static String backendFor(Path runDir) {
        for (Path checkpoint : polygrok.analysis.CheckpointFiles.list(runDir)) {
            try {
                var file = polygrok.io.Safetensors.read(checkpoint);
                if (file.has("embed.W_E")) {
                    return file.tensor("embed.W_E").dtype() == polygrok.io.SafeDType.F64 ? "cpuref" : "cpu";
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + checkpoint + ": " + polygrok.io.IoReasons.describe(e, runDir), e);
            }
        }
        return "cpu";
    }

    public static GridLogitsSource forRun(Path runDir, Consumer<String> log) {
        Path file = runDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            log.accept(runDir + ": no config.json; restricted/excluded loss skipped");
            return null;
        }
        ExperimentConfig c;
        try {
            c = ConfigLoader.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + polygrok.io.IoReasons.describe(e, runDir), e);
        }
        SplitData data = Datasets.build(Experiments.dataSpec(c), c.seeds().get(0));
        int p = c.p();
        if (data.taskNames().size() != 1 || data.train().arity() != 2) {
            log.accept(runDir + ": restricted/excluded loss needs one two-operand task; this run has " + data.taskNames()
                    + " with " + data.train().arity() + " operands; skipped");
            return null;
        }
        int nCtx = data.nCtx();
        int[] tokens = new int[p * p * nCtx];
        int[] labels = new int[p * p];
        boolean[] seen = new boolean[p * p];
        for (Examples e : List.of(data.train(), data.test())) {
            for (int i = 0; i < e.count(); i++) {
                int[] ab = e.operandsOf(i);
                if (ab[0] < 0 || ab[0] >= p || ab[1] < 0 || ab[1] >= p || seen[ab[0] * p + ab[1]]) {
                    log.accept(runDir + ": the split is not the full p x p grid (pair " + ab[0] + ", " + ab[1]
                            + "); restricted/excluded loss skipped");
                    return null;
                }
                int at = ab[0] * p + ab[1];
                seen[at] = true;
                System.arraycopy(e.tokens(), i * nCtx, tokens, at * nCtx, nCtx);
                labels[at] = e.labels()[i];
            }
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                log.accept(runDir + ": pair (" + i / p + ", " + i % p + ") is in neither split (symmetric or non-zero data?); "
                        + "restricted/excluded loss skipped");
                return null;
            }
        }
        Backend backend = Backends.create(backendFor(runDir), s -> { });
        return new ModelGridLogits(c, Experiments.modelSpec(c, data), p, nCtx, tokens, labels, backend);
    }

    @Override
    public GridLogits at(Checkpoint checkpoint) {
        ModelGroup group = new ModelGroup(backend, Model.of(spec), List.of(Experiments.optimizer(config)), Set.of());
        Map<String, double[]> values = new HashMap<>();
        for (NamedTensor t : checkpoint.parameters().values()) {
            values.put(t.name(), t.values());
        }
        try {
            ModelState.patch(group, group.params().block(), 0, values);
        } catch (IllegalArgumentException e) {
            // the checkpoint's tensors do not fit the model config.json describes: say which files disagree
            throw new IllegalArgumentException("checkpoint " + checkpoint.file() + " does not fit the run's config.json ("
                    + e.getMessage() + " from d_model " + spec.dModel() + ", d_mlp " + spec.dMlp() + ", num_layers " + spec.numLayers()
                    + ", vocabulary " + spec.vocab() + "); the config was edited or belongs to another run: restore the config the"
                    + " run was trained with", e);
        }
        return pairs -> {
            int[] batch = new int[pairs.length * nCtx];
            for (int i = 0; i < pairs.length; i++) {
                System.arraycopy(tokens, (pairs[i][0] * p + pairs[i][1]) * nCtx, batch, i * nCtx, nCtx);
            }
            Tensor in = backend.ints(Shape.of(1, pairs.length, nCtx), batch);
            double[] flat = backend.toDoubles(group.logits(in, ForwardOptions.FAST)); // [1, B, V]
            int v = flat.length / pairs.length;
            double[][] out = new double[pairs.length][v];
            for (int i = 0; i < pairs.length; i++) {
                System.arraycopy(flat, i * v, out[i], 0, v);
            }
            return out;
        };
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }
}
