package polygrok.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Finite differences on cpuref: every op and whole tiny models, relative error below 1e-6. */
class GradientCheckTest {

    private static String failures(CheckReport r) {
        return r.rows().stream().filter(row -> !row.ok())
                .map(row -> row.name() + ": rel " + row.relError() + " (max abs " + row.maxAbsError() + ") > " + row.tolerance())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void everyOpMatchesFiniteDifferences() {
        CheckReport r = new OpGradientChecks(11).run();
        assertTrue(r.rows().size() >= 25, "expected a row per op input, got " + r.rows().size());
        assertEquals(0, r.failed(), failures(r));
        assertEquals(1e-6, OpGradientChecks.TOLERANCE);
    }

    @Test
    void wholeModelsMatchFiniteDifferences() {
        CheckReport r = ModelGradientChecks.run(5);
        assertEquals(0, r.failed(), failures(r));
        assertEquals(1e-6, ModelGradientChecks.TOLERANCE);
    }

    @Test
    void aWrongGradientIsCaught() {
        double[] expected = {1.0, -2.0, 3.0};
        double[] actual = {1.0, -2.0, 3.0 + 1e-4};
        CheckRow row = CheckRow.compare("x", actual, expected, 1e-6);
        assertTrue(!row.ok(), "a 3e-5 relative error must fail a 1e-6 tolerance: " + row);
        assertEquals(2, CheckRow.worstIndex(actual, expected));
        assertTrue(!CheckRow.compare("nan", new double[]{Double.NaN}, new double[]{1}, 1).ok(), "NaN must fail");
    }
}
