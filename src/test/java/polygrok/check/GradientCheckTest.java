package polygrok.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.model.ModelSpec.ModelType;

/** Finite differences on cpuref: every op and whole tiny models, relative error below 1e-6. */
class GradientCheckTest {
    /** The most relative error any row may be allowed. */
    static final double TOLERANCE = 1e-6;

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
        tolerancesAtMost(r);
    }

    @Test
    void wholeModelsMatchFiniteDifferences() {
        CheckReport r = ModelGradientChecks.run(5);
        assertEquals(0, r.failed(), failures(r));
        tolerancesAtMost(r);
        // a row per parameter of every model, through both forwards of a transformer: a check that covered
        // fewer rows (or none) would pass without checking the models it leaves out
        int expected = 0;
        for (ModelSpec spec : ModelGradientChecks.specs()) {
            int params = Model.of(spec).layout().specs().size();
            int passes = spec.type() == ModelType.MLP ? 1 : 2;
            expected += params * passes;
            String name = ModelGradientChecks.describe(spec);
            // "transformer 1L RELU " also begins the rows of "transformer 1L RELU +bias": those go on with a "+"
            long rows = r.rows().stream().filter(row -> row.name().startsWith(name + " ")
                    && !row.name().substring(name.length() + 1).startsWith("+")).count();
            assertEquals((long) params * passes, rows, "rows of " + name);
        }
        assertEquals(expected, r.rows().size(), "rows of the whole-model check");
        assertTrue(r.rows().size() >= 250, "the whole-model check covers 11 models, at least 250 parameter rows; got " + r.rows().size());
        for (String option : List.of("+bias", "+ln_final", "+normalised", "mlp one_hot")) {
            assertTrue(r.rows().stream().anyMatch(row -> row.name().contains(option)), "no row checks " + option);
        }
    }

    /** Every row was held to the tolerance this test states, not a looser one set elsewhere. */
    private static void tolerancesAtMost(CheckReport r) {
        for (CheckRow row : r.rows()) {
            assertTrue(row.tolerance() <= TOLERANCE, row.name() + " was checked at " + row.tolerance() + ", more than " + TOLERANCE);
        }
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
