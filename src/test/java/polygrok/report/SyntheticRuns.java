package polygrok.report;

import polygrok.analysis.RunAnalyzer;
import polygrok.analysis.SyntheticRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small sweep of synthetic runs: add over two seeds, multiply, and an add+subtract mixture; all analysed. */
final class SyntheticRuns {
    private SyntheticRuns() {
    }

    static List<Path> write(Path root) {
        List<Path> runs = new ArrayList<>();
        runs.add(SyntheticRun.write(root.resolve("add_s0"), "add_s0", List.of("add"), 0, 900));
        runs.add(SyntheticRun.write(root.resolve("add_s1"), "add_s1", List.of("add"), 1, 1100));
        runs.add(SyntheticRun.write(root.resolve("multiply_s0"), "multiply_s0", List.of("multiply"), 0, 1300));
        runs.add(SyntheticRun.write(root.resolve("mix_s0"), "mix_s0", List.of("add", "subtract"), 0, 1000));
        RunAnalyzer analyzer = new RunAnalyzer(0.5, null);
        for (Path r : runs) {
            analyzer.analyzeAndWrite(r);
        }
        return runs;
    }
}
