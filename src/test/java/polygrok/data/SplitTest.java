package polygrok.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The split is Python's random.seed(seed); random.shuffle(pairs); first floor(frac * n) train. */
class SplitTest {

    @Test
    void pinnedSplitP97Fraction03Seed0() {
        SplitData d = Datasets.build(DataSpec.of("add", 97, 0.3), 0);
        assertEquals(2822, d.train().count(), "train count for p 97, fraction 0.3");
        assertEquals(97 * 97 - 2822, d.test().count(), "test count for p 97, fraction 0.3");
        int[][] want = {{63, 40}, {53, 60}, {7, 89}, {89, 2}, {18, 64}, {63, 79}};
        for (int i = 0; i < want.length; i++) {
            int[] got = d.train().operandsOf(i);
            assertEquals(want[i][0], got[0], "train pair " + i + " a");
            assertEquals(want[i][1], got[1], "train pair " + i + " b");
        }
    }

    @Test
    void splitsMatchPythonFile() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("python_random_expected.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int checked = 0;
        for (String line : text.split("\n")) {
            String[] row = line.trim().split(" ");
            if (!row[0].startsWith("split")) {
                continue;
            }
            long seed = Long.parseLong(row[1]);
            double frac = Double.parseDouble(row[2]);
            OperandRange range = row[0].equals("split102") ? OperandRange.P_PLUS_5 : OperandRange.P;
            SplitData d = Datasets.build(new DataSpec(97, List.of("add"), TokenStyle.SHORT, frac, range, false, 0, false), seed);
            assertEquals(Integer.parseInt(row[3]), d.train().count(), row[0] + " train count");
            for (int i = 4; i < row.length; i++) {
                String[] ab = row[i].split(",");
                int[] got = d.train().operandsOf(i - 4);
                assertEquals(Integer.parseInt(ab[0]), got[0], row[0] + " pair " + (i - 4) + " a");
                assertEquals(Integer.parseInt(ab[1]), got[1], row[0] + " pair " + (i - 4) + " b");
                checked++;
            }
        }
        assertEquals(100, checked, "pairs checked against python");
    }

    @Test
    void filteredAndThreeOperandSplitsMatchPython() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("python_random_expected.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int checked = 0;
        for (String line : text.split("\n")) {
            String[] row = line.trim().split(" ");
            if (!row[0].equals("variant")) {
                continue;
            }
            DataSpec spec = switch (row[1]) {
                case "division" -> DataSpec.of("division", 97, 0.3);
                case "symmetric" -> new DataSpec(97, List.of("add"), TokenStyle.SHORT, 0.3, OperandRange.P, true, 0, false);
                case "non_zero" -> DataSpec.of("multiply_non_zero", 97, 0.3);
                case "triples" -> DataSpec.of("x2_y2_z", 7, 0.3);
                default -> throw new IllegalStateException("unknown variant " + row[1]);
            };
            SplitData d = Datasets.build(spec, 0);
            assertEquals(Integer.parseInt(row[2]), d.train().count(), row[1] + " train count");
            for (int i = 3; i < row.length; i++) {
                String[] want = row[i].split(",");
                int[] got = d.train().operandsOf(i - 3);
                assertEquals(want.length, got.length, row[1] + " arity");
                for (int k = 0; k < want.length; k++) {
                    assertEquals(Integer.parseInt(want[k]), got[k], row[1] + " train tuple " + (i - 3) + " operand " + k);
                }
                checked++;
            }
        }
        assertEquals(120, checked, "tuples checked against python");
    }

    @Test
    void trainAndTestPartitionAllPairs() {
        SplitData d = Datasets.build(DataSpec.of("subtract", 23, 0.7), 5);
        Set<Integer> seen = new HashSet<>();
        for (Examples e : List.of(d.train(), d.test())) {
            for (int i = 0; i < e.count(); i++) {
                int[] o = e.operandsOf(i);
                assertTrue(seen.add(o[0] * 23 + o[1]), "pair " + o[0] + "," + o[1] + " appears twice");
            }
        }
        assertEquals(23 * 23, seen.size(), "pairs covered");
    }

    @Test
    void symmetricKeepsOnlyAUpToB() {
        DataSpec spec = new DataSpec(11, List.of("add"), TokenStyle.SHORT, 0.5, OperandRange.P, true, 0, false);
        SplitData d = Datasets.build(spec, 0);
        assertEquals(11 * 12 / 2, d.train().count() + d.test().count(), "symmetric pair count for p 11");
        for (Examples e : List.of(d.train(), d.test())) {
            for (int i = 0; i < e.count(); i++) {
                int[] o = e.operandsOf(i);
                assertTrue(o[0] <= o[1], "symmetric pair " + i + " has a " + o[0] + " > b " + o[1]);
            }
        }
    }

    @Test
    void threeOperandTasksUseFiveTokensAndAllTriples() {
        SplitData d = Datasets.build(DataSpec.of("add_z", 7, 0.4), 0);
        assertEquals(5, d.nCtx(), "n_ctx of add_z short");
        assertEquals(343, d.train().count() + d.test().count(), "triples for p 7");
        assertEquals(3, d.train().arity(), "add_z arity");
        int[] o = d.train().operandsOf(0);
        int[] t = d.train().tokensOf(0);
        assertEquals(List.of(o[0], 7, o[1], 7, o[2]), List.of(t[0], t[1], t[2], t[3], t[4]), "add_z short tokens");
        assertEquals((o[0] + o[1] + o[2]) % 7, d.train().labels()[0], "add_z label");
        SplitData longForm = Datasets.build(new DataSpec(7, List.of("multiply_z"), TokenStyle.LONG, 0.4,
                OperandRange.P, false, 0, false), 0);
        int[] lt = longForm.train().tokensOf(0);
        int[] lo = longForm.train().operandsOf(0);
        assertEquals(List.of(lo[0], 10, lo[1], 10, lo[2]), List.of(lt[0], lt[1], lt[2], lt[3], lt[4]), "multiply_z long tokens");
    }

    @Test
    void operandRangePPlus5IncludesSymbolTokensAsOperands() {
        DataSpec spec = new DataSpec(7, List.of("add"), TokenStyle.SHORT, 0.5, OperandRange.P_PLUS_5, false, 0, false);
        SplitData d = Datasets.build(spec, 0);
        assertEquals(12 * 12, d.train().count() + d.test().count(), "pairs over range(p + 5)");
        for (int i = 0; i < d.test().count(); i++) {
            int[] o = d.test().operandsOf(i);
            assertEquals((o[0] + o[1]) % 7, d.test().labels()[i], "label of " + o[0] + "+" + o[1]);
        }
    }
}
