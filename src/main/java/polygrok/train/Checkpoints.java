package polygrok.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import polygrok.io.SafeDType;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;
import polygrok.model.ParameterLayout;
import polygrok.model.ParameterSpec;

/**
 * Checkpoints as safetensors: parameters under the seed's names, AdamW moments as opt.m.NAME and
 * opt.v.NAME, and metadata (format, resolved config, seed, epoch, step, wall seconds). Written to a
 * temporary file and renamed, so a crash never leaves a torn checkpoint.
 */
public final class Checkpoints {
    public static final String FORMAT = "polygrok-checkpoint-1";

    private Checkpoints() {
    }

    /**
     * @param dtype F64 for the float64 backend (so a resume is exact), F32 otherwise
     */
    public static void write(Path file, ParameterLayout layout, ModelState state, SafeDType dtype,
                             String configJson, long seed) throws IOException {
        List<SafeTensor> tensors = new ArrayList<>();
        for (ParameterSpec s : layout.specs()) {
            tensors.add(tensor(s.name(), s, state.params().get(s.name()), dtype));
            tensors.add(tensor("opt.m." + s.name(), s, state.moment1().get(s.name()), dtype));
            tensors.add(tensor("opt.v." + s.name(), s, state.moment2().get(s.name()), dtype));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", configJson);
        meta.put("seed", Long.toString(seed));
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("step", Long.toString(state.step()));
        meta.put("wall_s", Double.toString(state.wallSeconds()));
        if (state.filterCount() >= 0) {
            // Grokfast's state: per parameter, its slots stacked on a leading axis
            for (ParameterSpec s : layout.specs()) {
                double[] v = state.filter().get(s.name());
                int[] dims = s.shape().dims();
                int[] stacked = new int[dims.length + 1];
                stacked[0] = v.length / (int) s.size();
                System.arraycopy(dims, 0, stacked, 1, dims.length);
                tensors.add(dtype == SafeDType.F64 ? SafeTensor.f64("filter." + s.name(), stacked, v)
                        : SafeTensor.f32("filter." + s.name(), stacked, v));
            }
            meta.put("filter_count", Long.toString(state.filterCount()));
        }
        Safetensors.write(file, SafetensorsFile.of(meta, tensors));
    }

    private static SafeTensor tensor(String name, ParameterSpec s, double[] values, SafeDType dtype) {
        return dtype == SafeDType.F64 ? SafeTensor.f64(name, s.shape().dims(), values) : SafeTensor.f32(name, s.shape().dims(), values);
    }

    /** Reads a checkpoint written by {@link #write}; every parameter of the layout must be there with its shape. */
    public static ModelState read(Path file, ParameterLayout layout) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, double[]> p = new LinkedHashMap<>(), m1 = new LinkedHashMap<>(), m2 = new LinkedHashMap<>();
        for (ParameterSpec s : layout.specs()) {
            p.put(s.name(), values(f, file, s.name(), s));
            m1.put(s.name(), values(f, file, "opt.m." + s.name(), s));
            m2.put(s.name(), values(f, file, "opt.v." + s.name(), s));
        }
        Map<String, double[]> filter = new LinkedHashMap<>();
        long filterCount = -1;
        if (f.metadata().containsKey("filter_count")) {
            filterCount = Long.parseLong(f.metadata().get("filter_count"));
            for (ParameterSpec s : layout.specs()) {
                String name = "filter." + s.name();
                if (!f.has(name)) {
                    throw new IOException(file + " has filter_count but no tensor " + name);
                }
                filter.put(s.name(), f.tensor(name).weights(file));
            }
        }
        return new ModelState(intMeta(f, file, "epoch"), Long.parseLong(meta(f, file, "step")),
                f.metadata().containsKey("wall_s") ? Double.parseDouble(f.metadata().get("wall_s")) : 0, p, m1, m2, filter, filterCount);
    }

    private static double[] values(SafetensorsFile f, Path file, String name, ParameterSpec s) throws IOException {
        if (!f.has(name)) {
            throw new IOException(file + " has no tensor " + name + " (is it a polygrok checkpoint of this model?)");
        }
        SafeTensor t = f.tensor(name);
        if (!java.util.Arrays.equals(t.shape(), s.shape().dims())) {
            throw new IOException(file + ": " + name + " has shape " + java.util.Arrays.toString(t.shape())
                    + ", the model needs " + s.shape());
        }
        return t.weights(file);
    }

    private static String meta(SafetensorsFile f, Path file, String key) throws IOException {
        String v = f.metadata().get(key);
        if (v == null) {
            throw new IOException(file + " lacks metadata '" + key + "' (not a polygrok checkpoint?)");
        }
        return v;
    }

    private static int intMeta(SafetensorsFile f, Path file, String key) throws IOException {
        return Integer.parseInt(meta(f, file, key));
    }
}
