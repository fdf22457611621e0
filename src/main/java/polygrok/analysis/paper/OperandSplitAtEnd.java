package polygrok.analysis.paper;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import polygrok.io.JsonFiles;

/**
 * A run's test accuracy on pairs of two numbers and on pairs with a symbol operand, at the last checkpoint
 * that {@code polygrok analyze} split ({@value #FILE_NAME}, runs over p + 5 operands)
 * within the epochs its summary covers. Beside a cell that did not grok it says whether the symbol pairs
 * are what held the run below 99%.
 *
 * @param epoch     the checkpoint's epoch; -1 when nothing was split
 * @param numberAcc test accuracy on the pairs of two numbers
 * @param symbolAcc test accuracy on the pairs with a symbol operand
 */
public record OperandSplitAtEnd(int epoch, double numberAcc, double symbolAcc) {
    /** What jobs.SymbolOperandAccuracy writes (this floor reads it and cannot name that class). */
    public static final String FILE_NAME = "operand_split.json";
    public static final OperandSplitAtEnd NONE = new OperandSplitAtEnd(-1, Double.NaN, Double.NaN);

    public boolean known() {
        return epoch >= 0;
    }

    /**
     * From a run directory; {@link #NONE} without the file. A run continued past its summary may have been
     * split at later checkpoints: those are not what the summary's verdict is about, so {@code epochsRun}
     * (when > 0) bounds the checkpoint read.
     */
    static OperandSplitAtEnd read(Path dir, int epochsRun) {
        JsonObject root = JsonFiles.readObjectIfPresent(dir.resolve(FILE_NAME));
        if (root == null || !root.has("checkpoints") || !root.get("checkpoints").isJsonArray()) {
            return NONE;
        }
        OperandSplitAtEnd last = NONE;
        for (JsonElement e : root.getAsJsonArray("checkpoints")) {
            JsonObject c = e.getAsJsonObject();
            int epoch = c.get("epoch").getAsInt();
            double numbers = number(c, "number_pairs_test_acc"), symbols = number(c, "symbol_pairs_test_acc");
            boolean inSummary = epochsRun <= 0 || epoch <= epochsRun;
            if (inSummary && epoch >= last.epoch && !Double.isNaN(numbers) && !Double.isNaN(symbols)) {
                last = new OperandSplitAtEnd(epoch, numbers, symbols);
            }
        }
        return last;
    }

    private static double number(JsonObject o, String key) {
        JsonElement v = o.get(key);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsDouble() : Double.NaN;
    }
}
