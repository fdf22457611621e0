package polygrok.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Rows of a check, printed as a table with a final `N passed, M failed` line. */
public final class CheckReport {
    private final List<CheckRow> rows = new ArrayList<>();

    public void add(CheckRow row) {
        rows.add(row);
    }

    public void addAll(CheckReport other) {
        rows.addAll(other.rows);
    }

    public List<CheckRow> rows() {
        return List.copyOf(rows);
    }

    public long failed() {
        return rows.stream().filter(r -> !r.ok()).count();
    }

    public long passed() {
        return rows.size() - failed();
    }

    public void print(PrintStream out) {
        int width = Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(6));
        out.printf("%-" + width + "s  %12s  %12s  %10s  %s%n", "tensor", "max abs err", "rel err", "tolerance", "ok");
        for (CheckRow r : rows) {
            out.printf("%-" + width + "s  %12.3e  %12.3e  %10.1e  %s%n", r.name(), r.maxAbsError(), r.relError(),
                    r.tolerance(), r.ok() ? "ok" : "FAIL");
        }
        out.println(passed() + " passed, " + failed() + " failed");
    }
}
