package polygrok.analysis.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import polygrok.config.SweepFile;
import polygrok.config.SweepLoader;
import polygrok.data.Operations;

/**
 * The paper's cells are transcribed data: this checks their shape (every operation resolves, every r is
 * one of 0.3..0.9, every cell names its place in the paper), never their values, and that the paper's
 * sweep files train exactly the cells the tables have.
 */
class PaperTableTest {
    static final Set<Double> FRACTIONS = Set.of(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

    @Test
    void everyCellNamesKnownOperationsAFractionOfThePaperAndItsSource() {
        for (String name : PaperTable.NAMES) {
            PaperTable t = PaperTable.load(name);
            assertFalse(t.cells().isEmpty(), name + " has no cells");
            assertEquals(100000, t.budgetEpochs(), name + ": the original configs' num_epochs");
            for (PaperCell c : t.cells()) {
                String where = name + " " + c.row() + " / " + c.column();
                for (String op : c.selector().ops()) {
                    assertTrue(Operations.isRegistryName(op), where + ": \"" + op + "\" is not an operation polygrok knows");
                }
                if (c.selector().task() != null) {
                    assertTrue(c.selector().ops().contains(c.selector().task()), where + ": the task is not one of the mixture's");
                }
                assertFalse(c.expectations().isEmpty(), where);
                for (Expectation e : c.expectations()) {
                    assertTrue(FRACTIONS.contains(e.trainFraction()), where + ": r " + e.trainFraction() + " is not one of 0.3..0.9");
                }
                assertTrue(c.source().startsWith(t.title().equals("mixtures") ? "§8" : t.title() + ", row "), where + ": source " + c.source());
                assertFalse(c.paperValue().isBlank(), where);
            }
        }
    }

    @Test
    void theTablesHaveThePapersShape() {
        PaperTable a5 = PaperTable.load("table_a5");
        assertEquals(27 * 7, a5.cells().size(), "Table A.5: 27 operations x 7 train fractions");
        PaperTable t1 = PaperTable.load("table_1");
        assertEquals(16 * 7, t1.cells().size(), "Table 1: 16 downstream operations x (3 sources x PG-E/PG-T + scratch)");
        for (PaperCell c : t1.cells()) {
            assertEquals(7, c.expectations().size(), "a Table 1 cell predicts every r: " + c.row() + " / " + c.column());
            // the smallest r: once it groks, it groks at every larger r
            boolean seen = false;
            for (Expectation e : c.expectations()) {
                assertTrue(!seen || e.groks(), c.row() + " / " + c.column() + ": grokking stops after starting");
                seen |= e.groks();
            }
        }
        assertEquals(4, PaperTable.load("mixtures").cells().size());
    }

    @Test
    void theSweepFilesTrainTheTablesOperations() {
        assertEquals(ops(PaperTable.load("table_a5")), sweepOps("configs/paper/table_a5.json", null),
                "table_a5.json trains exactly the operations of Table A.5");
        Set<String> downstream = ops(PaperTable.load("table_1"));
        assertEquals(downstream, sweepOps("configs/paper/table_1.json", "pg_e"), "PG-E stage");
        assertEquals(downstream, sweepOps("configs/paper/table_1.json", "pg_t"), "PG-T stage");
        assertEquals(downstream, sweepOps("configs/paper/table_1.json", "scratch"), "scratch stage");
        Set<Set<String>> mixtures = new HashSet<>();
        PaperTable.load("mixtures").cells().forEach(c -> mixtures.add(c.selector().ops()));
        Set<Set<String>> trained = new HashSet<>();
        SweepLoader.loadFile(Path.of("configs/paper/mixtures.json")).stages()
                .forEach(s -> s.points().forEach(p -> trained.add(Set.copyOf(p.config().ops()))));
        assertTrue(trained.containsAll(mixtures), "mixtures.json trains every mixture of the findings: " + mixtures + " in " + trained);
    }

    private static Set<String> ops(PaperTable t) {
        Set<String> out = new HashSet<>();
        t.cells().forEach(c -> out.addAll(c.selector().ops()));
        return out;
    }

    private static Set<String> sweepOps(String file, String stage) {
        SweepFile f = SweepLoader.loadFile(Path.of(file));
        Set<String> out = new HashSet<>();
        f.stages().stream().filter(s -> stage == null || s.name().equals(stage))
                .forEach(s -> s.points().forEach(p -> out.addAll(p.config().ops())));
        assertFalse(out.isEmpty(), file + " has no stage " + stage);
        return out;
    }
}
