package polygrok.train;

import com.google.gson.JsonObject;

/**
 * Why a run ended, as its summary.json records it under {@code "ended"}. A run stopped by the user
 * has not ended: it writes no summary and continues with {@code --resume}.
 *
 * @param reason    one of {@link #GROKKED}, {@link #TEST_LOSS}, {@link #BUDGET}, {@link #NON_FINITE}
 * @param epoch     the eval epoch that decided it (for the budget: the epochs run)
 * @param threshold the stop_test_acc or stop_test_loss that was met; NaN for the other reasons
 * @param text      the same in words, for people
 */
public record RunEnd(String reason, int epoch, double threshold, String text) {
    public static final String GROKKED = "grokked";
    public static final String TEST_LOSS = "test_loss_below";
    public static final String BUDGET = "budget";
    public static final String NON_FINITE = "non_finite";

    /** Test accuracy first reached {@code stopTestAcc} at the eval of {@code epoch}. */
    static RunEnd grokked(int epoch, double testAcc, double stopTestAcc) {
        return new RunEnd(GROKKED, epoch, stopTestAcc,
                "grokked at epoch " + epoch + " (test accuracy " + testAcc + " >= stop_test_acc " + stopTestAcc + ")");
    }

    static RunEnd testLoss(int epoch, double testLoss, double stopTestLoss) {
        return new RunEnd(TEST_LOSS, epoch, stopTestLoss,
                "test loss " + testLoss + " below stop_test_loss " + stopTestLoss + " at epoch " + epoch);
    }

    static RunEnd budget(int epochs, double bestTestAcc) {
        return new RunEnd(BUDGET, epochs, Double.NaN,
                "reached its budget of " + epochs + " epochs; best test accuracy " + bestTestAcc);
    }

    static RunEnd nonFinite(int epoch, String why) {
        return new RunEnd(NON_FINITE, epoch, Double.NaN, why);
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("reason", reason);
        o.addProperty("epoch", epoch);
        if (!Double.isNaN(threshold)) {
            o.addProperty("threshold", threshold);
        }
        o.addProperty("text", text);
        return o;
    }
}
