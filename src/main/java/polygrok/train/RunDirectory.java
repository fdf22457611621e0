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
import java.util.function.Consumer;
import polygrok.io.AtomicFiles;
import polygrok.io.DirectoryLock;
import polygrok.io.JsonFiles;
import polygrok.io.Safetensors;
import polygrok.io.JsonLines;

/**
 * The files of one run: config.json, metrics.jsonl, summary.json and checkpoints/ (init, epoch_N,
 * final, and while it trains at most one resume_epoch_N). Every whole-file write is atomic; metrics
 * are appended a line at a time.
 *
 * <p>A resume point (resume_epoch_N) is an epoch checkpoint written on the clock rather than on the
 * epoch count, so that a killed process loses minutes, not a whole checkpoint interval; a resume
 * starts from it like from epoch_N, but nothing that reads a run's checkpoint series (the Fourier
 * measures over checkpoints, the report) sees it, and it is removed once a newer checkpoint exists.
 */
public final class RunDirectory {
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch_(\\d+)\\.safetensors");
    private static final Pattern RESUME_FILE = Pattern.compile("resume_epoch_(\\d+)\\.safetensors");
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

    /** The resume point after {@code epoch} epochs (see the class comment). */
    public Path resumePoint(int epoch) {
        return checkpoint("resume_epoch_" + epoch);
    }

    /** Deletes the resume points of epochs below {@code epoch}: a checkpoint at least as new exists. */
    public void removeResumePointsBefore(int epoch) throws IOException {
        for (Path p : matching(RESUME_FILE)) {
            if (epochOf(p) < epoch) {
                Files.deleteIfExists(p);
            }
        }
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

    /**
     * Takes this run's lock (one writer per run directory, see {@link DirectoryLock}) and removes the
     * temporary files that an earlier process killed mid-write left behind.
     */
    public DirectoryLock lock() throws IOException {
        DirectoryLock lock = DirectoryLock.acquire(dir, "run directory");
        AtomicFiles.removeLeftovers(dir);
        AtomicFiles.removeLeftovers(checkpointDir());
        return lock;
    }

    /** Whether an earlier run left its files here (config, metrics, summary or checkpoints). */
    public boolean hasRunFiles() throws IOException {
        if (Files.exists(configFile()) || Files.exists(metricsFile()) || Files.exists(summaryFile())) {
            return true;
        }
        if (!Files.isDirectory(checkpointDir())) {
            return false;
        }
        try (Stream<Path> files = Files.list(checkpointDir())) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"));
        }
    }

    /**
     * Whether an earlier run trained here: it has a summary, a metrics line or a checkpoint after its
     * init. A run whose start failed (config.json written, the init checkpoint not) never trained an
     * epoch and holds nothing that a new start would lose.
     */
    public boolean holdsTrainedRun() throws IOException {
        if (Files.exists(summaryFile()) || (Files.isRegularFile(metricsFile()) && Files.size(metricsFile()) > 0)) {
            return true;
        }
        if (!Files.isDirectory(checkpointDir())) {
            return false;
        }
        try (Stream<Path> files = Files.list(checkpointDir())) {
            return files.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.endsWith(".safetensors") && !n.equals(checkpoint("init").getFileName().toString()));
        }
    }

    /** Removes what a run writes here (config, metrics, summary, checkpoints, analysis and plots); nothing else. */
    public void clear() throws IOException {
        for (Path f : List.of(configFile(), metricsFile(), summaryFile(), dir.resolve("analysis.json"))) {
            Files.deleteIfExists(f);
        }
        for (Path d : List.of(checkpointDir(), dir.resolve("plots"))) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> walk = Files.walk(d)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** A run is finished when its summary exists. */
    public boolean isFinished() {
        return Files.exists(summaryFile());
    }

    /** The epochs a finished run ran when it ended on its budget; empty for a run still open or one that ended otherwise. */
    public java.util.OptionalInt budgetEndEpoch() {
        JsonObject summary = isFinished() ? JsonFiles.readObjectIfPresent(summaryFile()) : null;
        JsonObject ended = summary == null || !summary.has("ended") ? null : summary.getAsJsonObject("ended");
        return ended != null && RunEnd.BUDGET.equals(ended.get("reason").getAsString())
                ? java.util.OptionalInt.of(ended.get("epoch").getAsInt()) : java.util.OptionalInt.empty();
    }

    /**
     * Whether this finished run ended on its budget short of {@code epochs}, so that a larger budget
     * continues it (from its final checkpoint) instead of leaving it finished. A run that ended for
     * another reason (grokked, a NaN) stays finished.
     */
    public boolean canExtendTo(int epochs) {
        java.util.OptionalInt ran = budgetEndEpoch();
        return ran.isPresent() && ran.getAsInt() < epochs && Files.isRegularFile(checkpoint("final"));
    }

    /**
     * Opens a run that ended on its budget again: its final checkpoint becomes the epoch checkpoint a
     * resume starts from and its summary is removed. Call it under the run's lock.
     */
    public void reopen() throws IOException {
        int epoch = budgetEndEpoch().orElseThrow(() -> new IllegalStateException(dir + " did not end on its budget"));
        AtomicFiles.write(epochCheckpoint(epoch), Files.readAllBytes(checkpoint("final")));
        Files.delete(summaryFile());
        Files.delete(checkpoint("final"));
    }

    public void writeConfig(String json) throws IOException {
        AtomicFiles.writeString(configFile(), json);
    }

    public void writeSummary(JsonObject summary) throws IOException {
        AtomicFiles.writeString(summaryFile(), Json.pretty(summary) + "\n");
    }

    public void appendMetrics(JsonObject line) throws IOException {
        JsonLines.append(metricsFile(), line);
    }

    /** The epoch checkpoint with the highest epoch, if any (whether or not it is readable). */
    public Optional<Path> latestEpochCheckpoint() throws IOException {
        List<Path> all = resumableCheckpointsNewestFirst();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * The newest epoch checkpoint that reads as a whole safetensors file. A newer one that does not (a
     * disk that filled, a file damaged after it was written) is passed over with a warning naming it.
     */
    public Optional<Path> latestReadableEpochCheckpoint(Consumer<String> warnings) throws IOException {
        for (Path p : resumableCheckpointsNewestFirst()) {
            try {
                Safetensors.read(p);
                return Optional.of(p);
            } catch (IOException | RuntimeException e) {
                warnings.accept("checkpoint " + p + " is unreadable (" + e.getMessage() + "); falling back to an older one");
            }
        }
        return Optional.empty();
    }

    /**
     * Every checkpoint a resume can start from, epoch_N and resume_epoch_N, highest N first (at equal
     * N, epoch_N first).
     */
    public List<Path> resumableCheckpointsNewestFirst() throws IOException {
        List<Path> out = matching(EPOCH_FILE);
        out.addAll(matching(RESUME_FILE));
        out.sort(java.util.Comparator.comparingInt(RunDirectory::epochOf).reversed()
                .thenComparing(p -> RESUME_FILE.matcher(p.getFileName().toString()).matches()));
        return out;
    }

    private List<Path> matching(Pattern name) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(checkpointDir())) {
            return out;
        }
        try (Stream<Path> files = Files.list(checkpointDir())) {
            files.filter(p -> name.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        }
        return out;
    }

    /** N of an epoch_N or resume_epoch_N checkpoint file. */
    public static int epochOf(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        for (Pattern p : List.of(EPOCH_FILE, RESUME_FILE)) {
            Matcher m = p.matcher(name);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IllegalArgumentException(checkpoint + " is not an epoch_N or resume_epoch_N checkpoint");
    }

    /** Keeps only metrics lines with epoch <= lastEpoch (a resumed run rewrites what came after its checkpoint). */
    public void truncateMetricsAfter(int lastEpoch) throws IOException {
        if (!Files.exists(metricsFile())) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (JsonObject o : JsonLines.read(metricsFile(), warning -> System.err.println("polygrok: " + warning))) {
            if (o.get("epoch").getAsInt() <= lastEpoch) {
                kept.add(Json.compact(o));
            }
        }
        AtomicFiles.writeString(metricsFile(), kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }
}
