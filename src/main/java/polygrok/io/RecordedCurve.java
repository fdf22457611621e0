package polygrok.io;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The curve.csv a results record keeps of a run instead of its metrics.jsonl (bench/record_runs.py: a
 * header and one row per eval), read back as metrics lines: every column a number ("epoch" and "step"
 * whole), an empty cell left out, a mixture's {@code test_acc:<task>} columns under {@code tasks}.
 */
public final class RecordedCurve {
    public static final String FILE_NAME = "curve.csv";
    private static final String TASK_PREFIX = "test_acc:";

    private RecordedCurve() {
    }

    /** The rows as metrics lines; a file without an epoch column is refused with its header. */
    public static List<JsonObject> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<JsonObject> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        String[] header = lines.get(0).split(",");
        if (!List.of(header).contains("epoch")) {
            throw new IOException(file + " has no epoch column (header: " + lines.get(0) + ")");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            JsonObject o = new JsonObject();
            for (int i = 0; i < header.length && i < f.length; i++) {
                if (f[i].isEmpty()) {
                    continue;
                }
                if (header[i].startsWith(TASK_PREFIX)) {
                    if (!o.has("tasks")) {
                        o.add("tasks", new JsonObject());
                    }
                    JsonObject task = new JsonObject();
                    task.addProperty("test_acc", Double.parseDouble(f[i]));
                    o.getAsJsonObject("tasks").add(header[i].substring(TASK_PREFIX.length()), task);
                } else if (header[i].equals("epoch") || header[i].equals("step")) {
                    o.addProperty(header[i], Long.parseLong(f[i]));
                } else {
                    o.addProperty(header[i], Double.parseDouble(f[i]));
                }
            }
            out.add(o);
        }
        return out;
    }
}
