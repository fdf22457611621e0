package polygrok.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format templates and the config's operand domain: Grokfast's task, refusals, and defaults left as they were. */
class DataOptionsTest {

    private static DataSpec spec(int p, List<String> ops, String format, double fraction, OperandRange range, OperandDomain domain,
                                 boolean taskTokens) {
        return new DataSpec(p, ops, InputFormat.parse(format), fraction, range, domain, false, 0, taskTokens);
    }

    private static DataSpec grokfast() {
        return spec(97, List.of("multiply"), "a * b =", 0.5, OperandRange.P, OperandDomain.DIVISOR_NON_ZERO, false);
    }

    @Test
    void grokfastsTaskHas9312EquationsHalfTraining() {
        SplitData d = Datasets.build(grokfast(), 0);
        assertEquals(97 * 96, d.train().count() + d.test().count(), "x in 0..96, y in 1..96");
        assertEquals(4656, d.train().count(), "int(0.5 * 9312) train");
        assertEquals(4, d.nCtx(), "[x, *, y, =]");
        assertEquals(102, d.vocabSize(), "p + 5 symbols");
        for (Examples e : List.of(d.train(), d.test())) {
            for (int i = 0; i < e.count(); i++) {
                int[] o = e.operandsOf(i);
                assertTrue(o[1] != 0, "example " + i + " has y = 0: " + Arrays.toString(o));
                assertEquals(o[0] * o[1] % 97, e.labels()[i], "label of " + o[0] + " * " + o[1]);
                // '*' is p + 3 and '=' is p in the seed's vocabulary layout
                assertArrayEquals(new int[]{o[0], 100, o[1], 97}, e.tokensOf(i), "tokens of example " + i + " " + Arrays.toString(o));
            }
        }
    }

    @Test
    void grokfastsSplitMatchesPythonsShuffle() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("python_random_expected.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] row = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("grokfast ")).findFirst()
                .orElseThrow(() -> new AssertionError("no grokfast line in python_random_expected.txt")).trim().split(" ");
        SplitData d = Datasets.build(grokfast(), Long.parseLong(row[1]));
        assertEquals(Integer.parseInt(row[3]), d.train().count() + d.test().count(), "tuples (python)");
        assertEquals(Integer.parseInt(row[4]), d.train().count(), "train count (python)");
        for (int i = 5; i < row.length; i++) {
            String[] xy = row[i].split(",");
            int[] got = d.train().operandsOf(i - 5);
            assertEquals(Integer.parseInt(xy[0]), got[0], "train pair " + (i - 5) + " x");
            assertEquals(Integer.parseInt(xy[1]), got[1], "train pair " + (i - 5) + " y");
        }
        assertEquals(50, row.length - 5, "pairs checked against python");
    }

    @Test
    void operandsOnlyTemplateFeedsTheTwoOperands() {
        SplitData d = Datasets.build(spec(11, List.of("add"), "a b", 0.5, OperandRange.P, null, false), 2);
        assertEquals(2, d.nCtx(), "n_ctx of \"a b\"");
        for (int i = 0; i < d.train().count(); i++) {
            assertArrayEquals(d.train().operandsOf(i), d.train().tokensOf(i), "tokens are the operands, example " + i);
        }
    }

    @Test
    void threeOperandTemplateAndRepeatedOperands() {
        SplitData d = Datasets.build(spec(5, List.of("add_z"), "c a = b a", 0.5, OperandRange.P, null, false), 0);
        int[] o = d.train().operandsOf(3);
        assertArrayEquals(new int[]{o[2], o[0], 5, o[1], o[0]}, d.train().tokensOf(3), "tokens of \"c a = b a\"");
    }

    @Test
    void theDefaultsBuildTheSameDataAsBefore() {
        // the old constructor (a style, each operation's own domain) and the config's spelling of the defaults
        for (String op : List.of("add", "division", "multiply_non_zero", "x2_y2", "add_z")) {
            int p = op.equals("add_z") ? 7 : 23;
            SplitData before = Datasets.build(new DataSpec(p, List.of(op), TokenStyle.SHORT, 0.3, OperandRange.P, false, 0, false), 4);
            SplitData now = Datasets.build(spec(p, List.of(op), "short", 0.3, OperandRange.P, null, false), 4);
            SplitData own = Datasets.build(spec(p, List.of(op), "short", 0.3, OperandRange.P, Operations.resolve(op).domain(), false), 4);
            for (SplitData d : List.of(now, own)) {
                for (String side : List.of("train", "test")) {
                    Examples a = side.equals("train") ? before.train() : before.test();
                    Examples b = side.equals("train") ? d.train() : d.test();
                    assertArrayEquals(a.tokens(), b.tokens(), op + " " + side + " tokens");
                    assertArrayEquals(a.labels(), b.labels(), op + " " + side + " labels");
                    assertArrayEquals(a.operands(), b.operands(), op + " " + side + " operands");
                }
            }
        }
    }

    @Test
    void aDomainReplacesTheOperationsOwn() {
        SplitData all = Datasets.build(spec(13, List.of("multiply_non_zero"), "short", 0.5, OperandRange.P, OperandDomain.ALL, false), 0);
        assertEquals(13 * 13, all.train().count() + all.test().count(), "multiply_non_zero on all pairs");
        SplitData nonzero = Datasets.build(spec(13, List.of("add"), "short", 0.5, OperandRange.P, OperandDomain.NON_ZERO, false), 0);
        assertEquals(12 * 12, nonzero.train().count() + nonzero.test().count(), "add without operand 0");
        SplitData range = Datasets.build(spec(13, List.of("add"), "short", 0.5, OperandRange.P_PLUS_5, OperandDomain.DIVISOR_NON_ZERO,
                false), 0);
        assertEquals(18 * 16, range.train().count() + range.test().count(), "b = 0 and b = 13 dropped over 0..17");
    }

    @Test
    void divisionRefusesADomainWithAZeroDivisor() {
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(spec(13, List.of("division"), "short", 0.5, OperandRange.P, OperandDomain.ALL, false), 0));
        assertTrue(all.getMessage().contains("division") && all.getMessage().contains("b != 0") && all.getMessage().contains("b_nonzero"),
                all.getMessage());
        SplitData nonzero = Datasets.build(spec(13, List.of("division"), "short", 0.5, OperandRange.P, OperandDomain.NON_ZERO, false), 0);
        assertEquals(12 * 12, nonzero.train().count() + nonzero.test().count(), "division on pairs without operand 0");
        IllegalArgumentException plus5 = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(spec(13, List.of("division"), "short", 0.5, OperandRange.P_PLUS_5, OperandDomain.NON_ZERO, false), 0));
        assertTrue(plus5.getMessage().contains("b = p"), plus5.getMessage());
        assertNull(Operations.resolve("division").domainProblem(OperandDomain.DIVISOR_NON_ZERO, false), "b_nonzero over p+5");
    }

    @Test
    void aTemplateMustNameEveryOperandAndNoOther() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(spec(5, List.of("add_z"), "a * b =", 0.5, OperandRange.P, null, false), 0));
        assertTrue(missing.getMessage().contains("add_z") && missing.getMessage().contains("leaves out c"), missing.getMessage());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(spec(5, List.of("add"), "a + c", 0.5, OperandRange.P, null, false), 0));
        assertTrue(foreign.getMessage().contains("leaves out b and uses c"), foreign.getMessage());
        IllegalArgumentException suffix = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(spec(5, List.of("x2_y2_short"), "a + b", 0.5, OperandRange.P, null, false), 0));
        assertTrue(suffix.getMessage().contains("\"x2_y2\"") && suffix.getMessage().contains("short"), suffix.getMessage());
        IllegalArgumentException token = assertThrows(IllegalArgumentException.class, () -> InputFormat.parseConfig("a x b"));
        assertTrue(token.getMessage().contains("token 'x'") && token.getMessage().contains(InputFormat.ALLOWED), token.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputFormat.parseConfig("SHORT"), "a config's style is lower case");
        assertEquals(InputFormat.of(TokenStyle.SHORT), InputFormat.parse("SHORT"), "the data command's --format as before");
    }

    @Test
    void aTemplateSpellsEveryTaskOfAMixtureAlike() {
        // add and multiply read [a, *, b, =] alike: the same input with two answers needs task tokens
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(spec(7, List.of("add", "multiply"), "a * b =", 0.5, OperandRange.P, null, false), 0));
        assertTrue(clash.getMessage().contains("task_tokens"), clash.getMessage());
        SplitData d = Datasets.build(spec(7, List.of("add", "multiply"), "a * b =", 0.5, OperandRange.P, null, true), 0);
        assertEquals(5, d.nCtx(), "four template tokens and the task token");
    }

    @Test
    void theSameTaskCheckComparesUnderTheConfigsDomain() {
        assertNull(SameTask.duplicate(List.of("multiply", "multiply_non_zero"), 7, 7, InputFormat.of(TokenStyle.SHORT), null),
                "each operation's own domain: different pairs");
        String same = SameTask.duplicate(List.of("multiply", "multiply_non_zero"), 7, 7, InputFormat.of(TokenStyle.SHORT),
                OperandDomain.NON_ZERO);
        assertTrue(same != null && same.contains("multiply_non_zero"), "one domain for both: the same task: " + same);
    }
}
