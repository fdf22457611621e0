package polygrok.analysis;

import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint's model parameters (optimizer moments left out) and where it sits in training.
 *
 * @param label "init", "epoch_N" or "final": the file's stem
 * @param config the resolved experiment config from the metadata (JSON text; may be empty)
 */
public record Checkpoint(Path file, String label, int epoch, long step, String config, Map<String, NamedTensor> parameters) {
    public Checkpoint {
        parameters = Map.copyOf(parameters);
    }

    public NamedTensor parameter(String name) {
        NamedTensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint " + file + " has no parameter '" + name + "'; it has "
                    + new java.util.TreeSet<>(parameters.keySet()));
        }
        return t;
    }
}
