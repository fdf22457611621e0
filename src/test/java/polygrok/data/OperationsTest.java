package polygrok.data;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every operation's answers against formulas written independently here, over every pair. */
class OperationsTest {
    private static final int P = 13;

    /** Independent formulas, in plain Java arithmetic before a final floorMod. */
    private static Map<String, IntBinaryOperator> twoOperandFormulas() {
        Map<String, IntBinaryOperator> f = new LinkedHashMap<>();
        f.put("add", (x, y) -> x + y);
        f.put("subtract", (x, y) -> x - y);
        f.put("multiply", (x, y) -> x * y);
        f.put("multiply_non_zero", (x, y) -> x * y);
        f.put("x2_y2", (x, y) -> x * x + y * y);
        f.put("x2_xy_y2", (x, y) -> x * x + x * y + y * y);
        f.put("x2_xy_y2_x", (x, y) -> x * x + x * y + y * y + x);
        f.put("x3_xy", (x, y) -> x * x * x + x * y);
        f.put("x3_xy2_y", (x, y) -> x * x * x + x * y * y + y);
        f.put("x_x_y", (x, y) -> x + x + y);
        f.put("xy_y", (x, y) -> x * y + y);
        f.put("x2_y", (x, y) -> x * x + y);
        f.put("2x_3y", (x, y) -> 2 * x + 3 * y);
        f.put("x3_2y", (x, y) -> x * x * x + 2 * y);
        f.put("x2_2xy_y2", (x, y) -> x * x + 2 * x * y + y * y);
        f.put("x2_2xy_y2_x_y", (x, y) -> x * x + 2 * x * y + y * y + x + y);
        f.put("x_x_m_y", (x, y) -> 2 * x - y);
        f.put("xy_m_y", (x, y) -> x * y - y);
        f.put("x2_m_y", (x, y) -> x * x - y);
        f.put("2x_m_3y", (x, y) -> 2 * x - 3 * y);
        f.put("x3_m_2y", (x, y) -> x * x * x - 2 * y);
        f.put("x2_m_y2", (x, y) -> x * x - y * y);
        f.put("x2_m_2xy_y2", (x, y) -> x * x - 2 * x * y + y * y);
        f.put("_x_y__3", (x, y) -> (x + y) * (x + y) * (x + y));
        f.put("_x_y__4", (x, y) -> (x + y) * (x + y) * (x + y) * (x + y));
        f.put("_x_m_y__3", (x, y) -> (x - y) * (x - y) * (x - y));
        f.put("_x_m_y__4", (x, y) -> (x - y) * (x - y) * (x - y) * (x - y));
        f.put("xy_x_y", (x, y) -> x * y + x + y);
        f.put("xy_x_m_y", (x, y) -> x * y + x - y);
        return f;
    }

    @Test
    void everyTwoOperandPolynomialMatchesItsFormula() {
        for (Map.Entry<String, IntBinaryOperator> e : twoOperandFormulas().entrySet()) {
            Operation op = Operations.resolve(e.getKey());
            for (int a = 0; a < P; a++) {
                for (int b = 0; b < P; b++) {
                    int want = Math.floorMod(e.getValue().applyAsInt(a, b), P);
                    int got = op.answer(new int[]{a, b}, P, P);
                    assertEquals(want, got, "op " + e.getKey() + " a " + a + " b " + b + ": expected " + want + ", got " + got);
                }
            }
        }
    }

    @Test
    void threeOperandOperationsMatchTheirFormulas() {
        for (int a = 0; a < P; a += 3) {
            for (int b = 0; b < P; b += 2) {
                for (int c = 0; c < P; c++) {
                    int[] o = {a, b, c};
                    check("add_z", o, a + b + c);
                    check("subtract_z", o, a - b - c);
                    check("multiply_z", o, a * b * c);
                    check("x2_y2_z", o, a * a + b * b + c);
                    check("x2_y2_z2", o, a * a + b * b + c * c);
                }
            }
        }
    }

    private static void check(String name, int[] o, int raw) {
        int want = Math.floorMod(raw, P);
        int got = Operations.resolve(name).answer(o, P, P);
        assertEquals(want, got, "op " + name + " operands " + java.util.Arrays.toString(o) + ": expected " + want + ", got " + got);
    }

    @Test
    void divisionIsMultiplicationByTheInverse() {
        Operation div = Operations.resolve("division");
        for (int a = 0; a < P; a++) {
            for (int b = 1; b < P; b++) {
                int q = div.answer(new int[]{a, b}, P, P);
                assertEquals(a, (q * b) % P, "division " + a + "/" + b + " = " + q + " but " + q + "*" + b + " mod " + P + " != " + a);
            }
        }
        assertFalse(div.domain().admits(new int[]{3, 0}, P), "division admits b = 0");
    }

    @Test
    void onlyAddHasNoModulusAndTwoPClasses() {
        SplitData d = Datasets.build(DataSpec.of("only_add", P, 0.5), 0);
        assertEquals(2 * P, d.numClasses(), "only_add output classes");
        assertEquals(P + 5, d.vocabSize(), "only_add vocabulary");
        int max = 0;
        for (Examples e : List.of(d.train(), d.test())) {
            for (int i = 0; i < e.count(); i++) {
                int[] o = e.operandsOf(i);
                assertEquals(o[0] + o[1], e.labels()[i], "only_add label of " + o[0] + "+" + o[1]);
                max = Math.max(max, e.labels()[i]);
            }
        }
        assertEquals(2 * P - 2, max, "largest only_add answer");
    }

    @Test
    void nonZeroDropsPairsWithZero() {
        SplitData d = Datasets.build(DataSpec.of("multiply_non_zero", P, 0.5), 0);
        assertEquals((P - 1) * (P - 1), d.train().count() + d.test().count(), "multiply_non_zero pair count");
        SplitData div = Datasets.build(DataSpec.of("division", P, 0.5), 0);
        assertEquals(P * (P - 1), div.train().count() + div.test().count(), "division pair count");
    }

    @Test
    void randIsAFixedTableOfResidues() {
        Operation rand = Operations.resolve("rand");
        int[] counts = new int[P];
        for (int a = 0; a < P; a++) {
            for (int b = 0; b < P; b++) {
                int x = rand.answer(new int[]{a, b}, P, P);
                assertTrue(x >= 0 && x < P, "rand answer " + x + " at " + a + "," + b + " outside 0.." + (P - 1));
                assertEquals(x, rand.answer(new int[]{a, b}, P, P), "rand answer at " + a + "," + b + " changed between calls");
                counts[x]++;
            }
        }
        for (int c : counts) {
            assertTrue(c > 0, "rand table misses a residue; counts " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void tokenFormatsFollowTheSeed() {
        Vocabulary v = new Vocabulary(97, 0, 0);
        assertEquals(97, v.symbol('='), "'=' token");
        assertEquals(98, v.symbol('+'), "'+' token");
        assertEquals(99, v.symbol('-'), "'-' token");
        assertEquals(100, v.symbol('*'), "'*' token");
        assertEquals(101, v.symbol('/'), "'/' token");
        assertEquals("[a, +, b]", Operations.resolve("add").format(TokenStyle.SHORT).toString(), "add format");
        assertEquals("[a, -, b]", Operations.resolve("subtract").format(TokenStyle.LONG).toString(), "subtract format");
        assertEquals("[a, *, b]", Operations.resolve("multiply").format(TokenStyle.SHORT).toString(), "multiply format");
        assertEquals("[a, /, b]", Operations.resolve("division").format(TokenStyle.SHORT).toString(), "division format");
        assertEquals("[a, =, b]", Operations.resolve("x2_y2").format(TokenStyle.SHORT).toString(), "x2_y2 short");
        assertEquals("[a, *, a, +, b, *, b]", Operations.resolve("x2_y2").format(TokenStyle.LONG).toString(), "x2_y2 long");
        assertEquals("[a, *, a, *, a, +, a, *, b, *, b, +, b]",
                Operations.resolve("x3_xy2_y").format(TokenStyle.LONG).toString(), "x3_xy2_y long");
        assertEquals("[a, =, b, =, c]", Operations.resolve("x2_y2_z2").format(TokenStyle.SHORT).toString(), "x2_y2_z2 short");
        assertThrows(IllegalArgumentException.class, () -> Operations.resolve("xy_x_m_y").format(TokenStyle.LONG),
                "xy_x_m_y has no long format in the seed");
        assertEquals(TokenStyle.SHORT, Operations.styleFor("x2_y2_short", TokenStyle.LONG), "_short suffix forces short");
    }

    @Test
    void longFormatTokensAreEncoded() {
        DataSpec spec = new DataSpec(97, List.of("x2_xy_y2"), TokenStyle.LONG, 0.3, OperandRange.P, false, 0, false);
        SplitData d = Datasets.build(spec, 0);
        assertEquals(11, d.nCtx(), "x2_xy_y2 long n_ctx");
        int[] t = d.train().tokensOf(0); // first train pair (63, 40)
        int[] want = {63, 100, 63, 98, 63, 100, 40, 98, 40, 100, 40};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], t[i], "x2_xy_y2 long token " + i);
        }
        assertEquals((63 * 63 + 63 * 40 + 40 * 40) % 97, d.train().labels()[0], "x2_xy_y2 label of (63, 40)");
    }

    @Test
    void expressionOperationsWork() {
        Operation op = Operations.resolve("a^3 + a*b^2 + b");
        Operation seed = Operations.resolve("x3_xy2_y");
        for (int a = 0; a < P; a++) {
            for (int b = 0; b < P; b++) {
                assertEquals(seed.answer(new int[]{a, b}, P, P), op.answer(new int[]{a, b}, P, P),
                        "expression a^3 + a*b^2 + b vs x3_xy2_y at " + a + "," + b);
            }
        }
        Operation three = Operations.resolve("x*y - 2*z^2 + (a - 4)");
        assertEquals(3, three.arity(), "arity of an expression using z");
        assertEquals(Math.floorMod(2 * 3 - 2 * 25 + (2 - 4), P), three.answer(new int[]{2, 3, 5}, P, P), "three-operand expression");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Operations.resolve("x4_foo"));
        assertTrue(e.getMessage().contains("unknown operation") && e.getMessage().contains("x2_xy_y2"),
                "unknown op message lists the known ones: " + e.getMessage());
    }

    @Test
    void everyRegistryOperationBuildsADataSet() {
        for (Operation op : Operations.all()) {
            SplitData d = Datasets.build(DataSpec.of(op.name(), 5, 0.5), 1);
            assertNotNull(d, op.name());
            assertEquals(op.arity() == 3 ? 5 : 3, d.nCtx(), "short n_ctx of " + op.name());
            assertTrue(d.train().count() > 0 && d.test().count() > 0, "examples of " + op.name());
        }
    }
}
