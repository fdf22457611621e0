package polygrok.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import polygrok.io.AtomicFiles;
import polygrok.io.JsonLines;

/**
 * The files of one run: config.json, metrics.jsonl, summary.json and checkpoints/ (init, epoch_N,
 * final). Every whole-file write is atomic; metrics are appended a line at a time.
 */
public final class RunDirectory {
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch_(\\d+)\\.safetensors");
    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve("config.json");
    }

    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    public Path summaryFile() {
        return dir.resolve("summary.json");
    }

    public Path checkpointDir() {
        return dir.resolve("checkpoints");
    }

    public Path checkpoint(String name) {
        return checkpointDir().resolve(name + ".safetensors");
    }

    public Path epochCheckpoint(int epoch) {
        return checkpoint("epoch_" + epoch);
    }

    /** Creates the directories, with a clear error when that is impossible. */
    public void create() throws IOException {
        try {
            Files.createDirectories(checkpointDir());
        } catch (IOException e) {
            throw new IOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("run directory " + dir + " is not writable");
        }
    }

    /** A run is finished when its summary exists. */
    public boolean isFinished() {
        return Files.exists(summaryFile());
    }

    public void writeConfig(String json) throws IOException {
        AtomicFiles.writeString(configFile(), json);
    }

    public void writeSummary(JsonObject summary) throws IOException {
        AtomicFiles.writeString(summaryFile(), Json.PRETTY.toJson(summary) + "\n");
    }

    public void appendMetrics(JsonObject line) throws IOException {
        JsonLines.append(metricsFile(), line);
    }

    /** The epoch checkpoint with the highest epoch, if any. */
    public Optional<Path> latestEpochCheckpoint() throws IOException {
        if (!Files.isDirectory(checkpointDir())) {
            return Optional.empty();
        }
        Path best = null;
        int bestEpoch = -1;
        try (Stream<Path> files = Files.list(checkpointDir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = EPOCH_FILE.matcher(p.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) > bestEpoch) {
                    bestEpoch = Integer.parseInt(m.group(1));
                    best = p;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Keeps only metrics lines with epoch <= lastEpoch (a resumed run rewrites what came after its checkpoint). */
    public void truncateMetricsAfter(int lastEpoch) throws IOException {
        if (!Files.exists(metricsFile())) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (JsonObject o : JsonLines.read(metricsFile(), warning -> System.err.println("polygrok: " + warning))) {
            if (o.get("epoch").getAsInt() <= lastEpoch) {
                kept.add(Json.COMPACT.toJson(o));
            }
        }
        AtomicFiles.writeString(metricsFile(), kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }
}
