package polygrok.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import polygrok.config.SweepConfig;
import polygrok.config.SweepPoint;
import polygrok.io.AtomicFiles;

/**
 * SWEEP_DIR/sweep.json: the sweep's points in grid order and its groups, so that tables list
 * points as the sweep file does and a person can see which runs share a launch. Every shard
 * writes the same content (atomically), so concurrent shards do not conflict.
 */
public final class SweepPlanFile {
    public static final String FILE_NAME = "sweep.json";

    private SweepPlanFile() {
    }

    public static Path write(Path sweepDir, SweepConfig sweep, List<RunGroup> groups, int modelsPerLaunch) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("name", sweep.name());
        o.addProperty("models_per_launch", modelsPerLaunch);
        o.addProperty("runs", groups.stream().mapToInt(g -> g.runs().size()).sum());
        JsonArray points = new JsonArray();
        sweep.points().stream().map(SweepPoint::name).forEach(points::add);
        o.add("points", points);
        JsonArray gs = new JsonArray();
        for (RunGroup g : groups) {
            JsonArray names = new JsonArray();
            g.runs().forEach(r -> names.add(r.name()));
            gs.add(names);
        }
        o.add("groups", gs);
        Files.createDirectories(sweepDir);
        Path file = sweepDir.resolve(FILE_NAME);
        AtomicFiles.writeString(file, Json.pretty(o) + "\n");
        return file;
    }
}
