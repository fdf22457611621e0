package polygrok.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations side by side: for each task (operations, p, train fraction), one chart of test
 * accuracy against epochs with every configuration of that task in its own colour and every seed as
 * its own line. This is what a reader compares first across a sweep or a bench of interventions; the
 * per-run sections hold the rest.
 */
final class GroupCurves {
    static final int WIDTH = 940;
    static final int HEIGHT = 440;
    /** Past this many configurations the colours repeat with dashed lines. */
    private static final int COLOURS = Palette.SERIES.length;

    private GroupCurves() {
    }

    /** One figure per task that has at least one logged curve, in the order the tasks first appear. */
    static List<Figure> draw(List<SeedGroup> groups, Map<String, RunData> runsByLabel) {
        List<Figure> figures = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, XYChart> t : charts(groups, runsByLabel).entrySet()) {
            index++;
            figures.add(new Figure("curves_" + index + ".png", "Test accuracy: " + t.getKey(),
                    "Every configuration of this task in its own colour, each seed a line of that colour.", Charts.png(t.getValue())));
        }
        return figures;
    }

    /** The chart of each task (by its name) that has at least one line. */
    static Map<String, XYChart> charts(List<SeedGroup> groups, Map<String, RunData> runsByLabel) {
        Map<String, List<SeedGroup>> byTask = new LinkedHashMap<>();
        for (SeedGroup g : groups) {
            byTask.computeIfAbsent(task(g), k -> new ArrayList<>()).add(g);
        }
        Map<String, XYChart> charts = new LinkedHashMap<>();
        for (Map.Entry<String, List<SeedGroup>> t : byTask.entrySet()) {
            XYChart c = Charts.lines("Test accuracy: " + t.getKey(), "epoch (log scale; 0 drawn at 1)", "test accuracy",
                    true, false, WIDTH, HEIGHT);
            c.getStyler().setYAxisMin(0.0);
            c.getStyler().setYAxisMax(1.0);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            List<SeedGroup> taskGroups = t.getValue();
            for (int gi = 0; gi < taskGroups.size(); gi++) {
                SeedGroup g = taskGroups.get(gi);
                Color colour = Palette.SERIES[gi % COLOURS];
                boolean dashed = (gi / COLOURS) % 2 == 1;
                boolean named = false;
                for (RunSummary s : g.runs()) {
                    RunData run = runsByLabel.get(s.label());
                    if (run == null) {
                        continue;
                    }
                    // the legend names each configuration once; its other seeds are unnamed lines in its colour
                    String name = named ? g.label() + " \u00b7 " + s.label() : legendName(g);
                    if (Charts.addLine(c, name, run.series("epoch"), run.series("test_acc"), colour, dashed, !named)) {
                        named = true;
                    }
                }
            }
            if (!c.getSeriesMap().isEmpty()) {
                charts.put(t.getKey(), c);
            }
        }
        return charts;
    }

    private static String legendName(SeedGroup g) {
        int n = g.runs().size();
        return g.label() + (n == 1 ? "" : " (" + n + " seeds)");
    }

    /** The task a configuration trains: its operations, p and train fraction. */
    static String task(SeedGroup g) {
        StringBuilder s = new StringBuilder(g.ops());
        if (g.p() != null) {
            s.append(", p ").append(g.p());
        }
        if (g.trainFraction() != null) {
            s.append(", r ").append(String.format(java.util.Locale.ROOT, "%.2f", g.trainFraction()));
        }
        return s.toString();
    }
}
