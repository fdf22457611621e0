package polygrok.analysis;

import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/** Finds a run's checkpoints and reads their model parameters (through polygrok.io's safetensors reader). */
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
        SafetensorsFile contents;
        try {
            contents = Safetensors.read(file);
        } catch (IOException e) {
            // the reader's messages start with the file already
            String why = e.getMessage() == null ? "" : e.getMessage();
            throw new UncheckedIOException("cannot read checkpoint " + (why.startsWith(file.toString()) ? why : file + ": " + why), e);
        }
        Map<String, NamedTensor> params = new LinkedHashMap<>();
        for (SafeTensor t : contents.tensors().values()) {
            if (!t.name().startsWith("opt.")) { // optimizer moments are not analysed
                params.put(t.name(), new NamedTensor(t.name(), t.shape(), t.weights(file)));
            }
        }
        Map<String, String> meta = contents.metadata();
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
}
