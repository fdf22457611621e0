package polygrok.analysis.paper;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of the paper, read from {@code /paper/NAME.json} on the class path: its cells, and the
 * budget (epochs) its runs had, which decides whether a shorter run of ours can disagree.
 */
public record PaperTable(String name, String title, int budgetEpochs, List<PaperCell> cells) {
    public static final List<String> NAMES = List.of("table_a5", "table_1", "mixtures");

    public PaperTable {
        cells = List.copyOf(cells);
    }

    public static PaperTable load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not one of the paper's tables; allowed: " + String.join(", ", NAMES));
        }
        JsonObject o = read("/paper/" + name + ".json");
        int budget = o.get("budget_epochs").getAsInt();
        List<PaperCell> cells = switch (name) {
            case "table_a5" -> tableA5(o);
            case "table_1" -> table1(o);
            default -> mixtures(o);
        };
        return new PaperTable(name, o.get("table").getAsString(), budget, cells);
    }

    private static List<PaperCell> tableA5(JsonObject o) {
        List<PaperCell> cells = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            String op = row.get("op").getAsString(), label = row.get("operation").getAsString();
            for (JsonElement c : row.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                double r = cell.get("train_fraction").getAsDouble();
                boolean groks = cell.get("grokked").getAsBoolean();
                String value = groks ? "\u2713" : trim(cell.get("best_test_acc_percent").getAsDouble()) + "%";
                cells.add(new PaperCell("Table A.5", label + " (" + op + ")", "r " + trim(r), value, cell.get("source").getAsString(),
                        RunSelector.scratch(List.of(op)), List.of(new Expectation(r, groks))));
            }
        }
        return cells;
    }

    private static List<PaperCell> table1(JsonObject o) {
        List<Double> fractions = new ArrayList<>();
        o.getAsJsonArray("train_fractions").forEach(f -> fractions.add(f.getAsDouble()));
        List<PaperCell> cells = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            String op = row.get("op").getAsString(), label = row.get("operation").getAsString();
            for (JsonElement c : row.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                String kind = cell.get("kind").getAsString();
                String sourceOp = cell.get("source_op").isJsonNull() ? null : cell.get("source_op").getAsString();
                Double smallest = cell.get("smallest_train_fraction").isJsonNull() ? null : cell.get("smallest_train_fraction").getAsDouble();
                List<Expectation> expectations = new ArrayList<>();
                for (double r : fractions) {
                    expectations.add(new Expectation(r, smallest != null && r >= smallest - 1e-9));
                }
                String value = smallest == null ? "\u2717" : smallest <= fractions.get(0) + 1e-9 ? "\u2713" : "r " + trim(smallest);
                String start = kind.equals("scratch") ? RunOutcome.SCRATCH : kind;
                String column = sourceOp == null ? "scratch" : sourceOp + " " + kind;
                cells.add(new PaperCell("Table 1", label + " (" + op + ")", column, value, cell.get("source").getAsString(),
                        new RunSelector(java.util.Set.of(op), null, start, sourceOp), expectations));
            }
        }
        return cells;
    }

    private static List<PaperCell> mixtures(JsonObject o) {
        List<PaperCell> cells = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("findings")) {
            JsonObject f = e.getAsJsonObject();
            List<String> ops = new ArrayList<>();
            f.getAsJsonArray("ops").forEach(x -> ops.add(x.getAsString()));
            String task = f.has("task") ? f.get("task").getAsString() : null;
            double r = f.get("train_fraction").getAsDouble();
            boolean groks = f.get("groks").getAsBoolean();
            String what = task == null ? "every task" : task;
            cells.add(new PaperCell("Mixtures", "{" + String.join(", ", ops) + "}", what + ", r " + trim(r),
                    (groks ? "groks" : "does not grok") + ": " + f.get("finding").getAsString(), f.get("source").getAsString(),
                    new RunSelector(java.util.Set.copyOf(ops), task, RunOutcome.SCRATCH, null), List.of(new Expectation(r, groks))));
        }
        return cells;
    }

    /** 0.3 -> "0.3", 85.0 -> "85", 3.1 -> "3.1". */
    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static JsonObject read(String resource) {
        try (InputStream in = PaperTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path (a broken build?)");
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
