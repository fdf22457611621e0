package polygrok.train;

import com.google.gson.JsonObject;

/**
 * How a run ended.
 *
 * @param epochsToAcc first eval epochs at which test accuracy reached 0.5, 0.9 and 0.99 (null: never)
 * @param last        the last metrics line
 * @param interrupted stopped on request before the end (resumable)
 * @param nonFinite   why it stopped on a NaN or infinite loss, or null
 * @param end         why it ended (as its summary says); null when interrupted
 */
public record RunResult(String name, long seed, Integer[] epochsToAcc, double bestTestAcc, JsonObject last,
                        int epochsRun, double wallSeconds, boolean interrupted, String nonFinite, RunEnd end) {
    public Integer epochsTo99() {
        return epochsToAcc[2];
    }
}
