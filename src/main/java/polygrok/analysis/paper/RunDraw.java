package polygrok.analysis.paper;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;

/**
 * What a run trained, leaving out how long it ran and how it was watched: two runs with the same draw
 * (data split, init, model, optimizer, loss and seed) follow one trajectory whatever their budgets,
 * stopping rules, eval or checkpoint cadence, name or backend, so a table that counted both would count
 * one draw twice (Table 1's sources, trained on to 10,000 epochs, are Table A.5's add and multiply runs
 * that stop at 99%).
 */
final class RunDraw {
    private RunDraw() {
    }

    /** The config with every schedule and bookkeeping field set to one value, as canonical JSON. */
    static String of(JsonObject config, Path dir) {
        try {
            ExperimentConfig c = ConfigLoader.parse(config.toString(), "config.json");
            return ConfigLoader.toJson(c.toBuilder().name("draw").epochs(1).stopTestLoss(null).stopTestAcc(null).evalEvery(1)
                    .checkpointEvery(0).checkpointMinutes(0).fourierEvery(0).backend("auto").build());
        } catch (RuntimeException unreadable) {
            // a config this version cannot read (ConfigException, a JSON error) stands for itself: nothing is merged with it
            return "unread " + dir.toAbsolutePath().normalize();
        }
    }
}
