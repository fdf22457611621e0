package polygrok.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import polygrok.io.JsonFiles;

/**
 * The config diff of a resume. A change to what the run computes is refused, naming the fields; a
 * change of budget, stop conditions or intervals is allowed and recorded in config.json under
 * {@code provenance.resumed} (the epoch and each field's before and now), so the file says what the
 * run's later epochs were trained with.
 */
final class ResumeProvenance {
    private ResumeProvenance() {
    }

    /**
     * Refuses a resume under a config that changes what run r computes, naming the fields. Called before
     * its checkpoints are read: a changed d_mlp or p would otherwise surface as a tensor shape error.
     */
    static void refuseForbidden(Trainer.Run r) throws IOException {
        JsonObject before = JsonFiles.readObjectIfPresent(r.dir().configFile());
        if (before != null) {
            refuseForbidden(r, ResumeCheck.changes(ResumeCheck.withDefaults(before), JsonParser.parseString(r.configJson()).getAsJsonObject()));
        }
    }

    /** Compares run r's recorded config with the one it resumes under at {@code epoch}; refuses or records the changes. */
    static void check(Trainer.Run r, int epoch, Trainer.Listener listener) throws IOException {
        JsonObject before = JsonFiles.readObjectIfPresent(r.dir().configFile());
        if (before == null) {
            return;
        }
        JsonObject now = JsonParser.parseString(r.configJson()).getAsJsonObject();
        List<ResumeCheck.Change> changes = ResumeCheck.changes(ResumeCheck.withDefaults(before), now);
        refuseForbidden(r, changes);
        if (changes.isEmpty()) {
            return;
        }
        r.dir().writeConfig(Json.pretty(recorded(before, now, epoch, changes)) + "\n");
        listener.message(r.name() + ": resuming with " + String.join("; ", changes.stream().map(ResumeCheck.Change::describe).toList())
                + " (recorded in config.json)");
    }

    private static void refuseForbidden(Trainer.Run r, List<ResumeCheck.Change> changes) throws IOException {
        List<ResumeCheck.Change> forbidden = ResumeCheck.forbidden(changes);
        if (!forbidden.isEmpty()) {
            throw new IOException("cannot resume " + r.name() + " in " + r.dir().dir() + " with this config: "
                    + String.join("; ", forbidden.stream().map(ResumeCheck.Change::describe).toList())
                    + " would change what the run computes (allowed to change on resume: " + String.join(", ",
                    new TreeSet<>(ResumeCheck.MAY_CHANGE)) + "); start a new run (--out) or replace this one (--overwrite)");
        }
    }

    /** The config now, its provenance carrying the earlier resumes and this one. */
    private static JsonObject recorded(JsonObject before, JsonObject now, int epoch, List<ResumeCheck.Change> changes) {
        JsonObject provenance = before.has(ResumeCheck.PROVENANCE) ? before.getAsJsonObject(ResumeCheck.PROVENANCE) : new JsonObject();
        JsonArray resumes = provenance.has("resumed") ? provenance.getAsJsonArray("resumed") : new JsonArray();
        JsonObject record = new JsonObject();
        record.addProperty("epoch", epoch);
        JsonObject changed = new JsonObject();
        for (ResumeCheck.Change c : changes) {
            JsonArray pair = new JsonArray();
            pair.add(c.before());
            pair.add(c.now());
            changed.add(c.field(), pair);
        }
        record.add("changed", changed);
        resumes.add(record);
        JsonObject merged = now.deepCopy();
        JsonObject newProvenance = now.has(ResumeCheck.PROVENANCE) ? now.getAsJsonObject(ResumeCheck.PROVENANCE).deepCopy() : provenance.deepCopy();
        newProvenance.add("resumed", resumes);
        merged.add(ResumeCheck.PROVENANCE, newProvenance);
        return merged;
    }
}
