package polygrok.analysis;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

/**
 * Finds a run's checkpoints and reads their model parameters. The safetensors layout is small:
 * an 8-byte little-endian header length, a JSON header (name -> dtype, shape, data_offsets;
 * "__metadata__" -> string map), then the raw little-endian data.
 */
public final class CheckpointFiles {
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch_(\\d+)\\.safetensors");

    private CheckpointFiles() {
    }

    /** The checkpoint files under RUN/checkpoints in training order: init, epoch_N ascending, final. */
    public static List<Path> list(Path runDir) {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
        files.sort(Comparator.comparingLong(CheckpointFiles::orderKey));
        return files;
    }

    private static long orderKey(Path file) {
        String name = file.getFileName().toString();
        if (name.equals("init.safetensors")) {
            return -1;
        }
        Matcher m = EPOCH_FILE.matcher(name);
        if (m.matches()) {
            return Long.parseLong(m.group(1));
        }
        return Long.MAX_VALUE; // final (and anything unknown) last
    }

    /** Reads the model parameters (not the opt.* moments) and metadata of one checkpoint. */
    public static Checkpoint read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IllegalArgumentException("checkpoint " + file + " is " + bytes.length + " bytes: too short for a safetensors header");
        }
        long headerLen = buf.getLong(0);
        if (headerLen <= 0 || 8 + headerLen > bytes.length) {
            throw new IllegalArgumentException("checkpoint " + file + ": header length " + headerLen + " does not fit a file of " + bytes.length + " bytes");
        }
        String headerText = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        JsonObject header = JsonParser.parseString(headerText).getAsJsonObject();
        int dataStart = 8 + (int) headerLen;
        Map<String, NamedTensor> params = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                e.getValue().getAsJsonObject().entrySet().forEach(m -> meta.put(m.getKey(), m.getValue().getAsString()));
                continue;
            }
            if (e.getKey().startsWith("opt.")) {
                continue; // optimizer moments: not analysed
            }
            params.put(e.getKey(), tensor(file, e.getKey(), e.getValue().getAsJsonObject(), buf, dataStart));
        }
        String stem = file.getFileName().toString().replace(".safetensors", "");
        int epoch = parseInt(meta.get("epoch"), stem.equals("init") ? 0 : -1);
        long step = parseInt(meta.get("step"), 0);
        return new Checkpoint(file, stem, epoch, step, meta.getOrDefault("config", ""), params);
    }

    private static int parseInt(String s, int fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static NamedTensor tensor(Path file, String name, JsonObject info, ByteBuffer buf, int dataStart) {
        String dtype = info.get("dtype").getAsString();
        var shapeJson = info.getAsJsonArray("shape");
        int[] shape = new int[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsInt();
        }
        var offsets = info.getAsJsonArray("data_offsets");
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            default -> throw new IllegalArgumentException("checkpoint " + file + ": tensor " + name + " has dtype " + dtype
                    + "; analysis reads F32 and F64");
        };
        long count = (end - begin) / width;
        if (dataStart + end > buf.capacity() || begin > end || (end - begin) % width != 0) {
            throw new IllegalArgumentException("checkpoint " + file + ": tensor " + name + " data offsets [" + begin + ", " + end
                    + ") do not fit the file");
        }
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            int at = (int) (dataStart + begin + (long) i * width);
            values[i] = width == 4 ? buf.getFloat(at) : buf.getDouble(at);
        }
        return new NamedTensor(name, shape, values);
    }
}
