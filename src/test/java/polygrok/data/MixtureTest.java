package polygrok.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several operations on one shared split; conflicting inputs are refused unless task tokens are on. */
class MixtureTest {

    private static DataSpec mix(boolean taskTokens, int nMask, String... ops) {
        return new DataSpec(11, List.of(ops), TokenStyle.SHORT, 0.5, OperandRange.P, false, nMask, taskTokens);
    }

    @Test
    void addAndMultiplyShareOneSplitTaskByTask() {
        SplitData mixed = Datasets.build(mix(false, 0, "add", "multiply"), 3);
        SplitData add = Datasets.build(DataSpec.of("add", 11, 0.5), 3);
        int n = add.train().count();
        assertEquals(2 * n, mixed.train().count(), "mixture train count");
        assertEquals(List.of("add", "multiply"), mixed.taskNames(), "task names");
        for (int i = 0; i < n; i++) {
            int[] o = add.train().operandsOf(i);
            assertEquals(List.of(o[0], o[1]), List.of(mixed.train().operandsOf(i)[0], mixed.train().operandsOf(i)[1]),
                    "add part of the mixture, pair " + i);
            int[] m = mixed.train().operandsOf(n + i);
            assertEquals(List.of(o[0], o[1]), List.of(m[0], m[1]), "multiply part uses the same pairs, pair " + i);
            assertEquals(0, mixed.train().tasks()[i], "task index of add example " + i);
            assertEquals(1, mixed.train().tasks()[n + i], "task index of multiply example " + i);
            assertEquals((o[0] * o[1]) % 11, mixed.train().labels()[n + i], "multiply label, pair " + i);
        }
    }

    @Test
    void mixtureWithSharedInputsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(mix(false, 0, "x2_y2", "x2_xy_y2"), 0));
        assertTrue(e.getMessage().contains("same input") && e.getMessage().contains("task_tokens"),
                "refusal names the clash and the switch: " + e.getMessage());
    }

    @Test
    void addAndOnlyAddClashOnceTheSumWraps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(mix(false, 0, "add", "only_add"), 0));
        assertTrue(e.getMessage().contains("add[") && e.getMessage().contains("only_add["), e.getMessage());
    }

    @Test
    void longInputsAreCheckedToo() {
        // 15 tokens over V = 16 do not fit a packed long: the string-keyed check runs
        DataSpec distinct = new DataSpec(11, List.of("x2_2xy_y2", "x2_m_2xy_y2"), TokenStyle.LONG, 0.5,
                OperandRange.P, false, 0, false);
        assertEquals(15, Datasets.build(distinct, 0).nCtx(), "long mixture with distinct inputs builds");
        DataSpec clash = new DataSpec(11, List.of("x2_2xy_y2", "x2_2xy_y2_short"), TokenStyle.SHORT, 0.5,
                OperandRange.P, false, 0, false);
        assertEquals(3, Datasets.build(clash, 0).nCtx(), "the same task twice never clashes");
    }

    @Test
    void taskTokensSeparateTheTasks() {
        SplitData d = Datasets.build(mix(true, 2, "x2_y2", "x2_xy_y2"), 0);
        assertEquals(4, d.nCtx(), "short format plus a task token");
        assertEquals(11 + 5 + 2 + 2, d.vocabSize(), "vocabulary with 2 masks and 2 task tokens");
        int n = d.train().count() / 2;
        assertEquals(11 + 5 + 2, d.train().tokensOf(0)[3], "task token of task 0");
        assertEquals(11 + 5 + 2 + 1, d.train().tokensOf(n)[3], "task token of task 1");
    }

    @Test
    void mixturesOfDifferentShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Datasets.build(mix(false, 0, "add", "add_z"), 0),
                "mixing two- and three-operand tasks");
        assertThrows(IllegalArgumentException.class, () -> Datasets.build(
                new DataSpec(11, List.of("add", "x2_y2"), TokenStyle.LONG, 0.5, OperandRange.P, false, 0, false), 0),
                "mixing input lengths 3 and 7");
    }

    @Test
    void multiplicativeTasksNeedAPrime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.build(DataSpec.of("division", 12, 0.5), 0));
        assertTrue(e.getMessage().contains("prime") && e.getMessage().contains("12"), e.getMessage());
    }
}
