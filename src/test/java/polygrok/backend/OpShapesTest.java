package polygrok.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The shape contract itself (it only reads shapes, so cpuref tensors serve): the Backend's documented
 * shapes pass, a wrong one fails naming op, tensor and both shapes. ShapeContractConformanceTest checks
 * that every backend calls it before any work.
 */
class OpShapesTest {
    private final CpuRefBackend ref = new CpuRefBackend();

    private Tensor z(int... dims) {
        return ref.zeros(Shape.of(dims));
    }

    @Test
    void attentionShapesOfTheContractPass() {
        int m = 3, b = 5, t = 3, d = 20, h = 3, dh = 7;
        for (boolean lastOnly : new boolean[]{false, true}) {
            int tq = lastOnly ? 1 : t;
            AttentionSaved s = new AttentionSaved(z(m, b, tq, h, dh), z(m, b, t, h, dh), z(m, b, t, h, dh), z(m, b, h, tq, t), z(m, b, tq, h * dh));
            AttentionDims a = OpShapes.attentionDims("attentionForward", z(m, b, t, d), z(m, h, dh, d), z(m, h, dh, d),
                    z(m, h, dh, d), z(m, d, h * dh), lastOnly, s);
            assertEquals(tq, a.tq(), "query positions, lastOnly=" + lastOnly);
            assertEquals(h * dh, a.hd(), "H * Dh");
        }
    }

    @Test
    void aWrongSavedShapeIsNamed() {
        int m = 2, b = 4, t = 3, d = 8, h = 2, dh = 4;
        AttentionSaved s = new AttentionSaved(z(m, b, t, h, dh), z(m, b, t, h, dh), z(m, b, t, h, dh), z(m, b, h, t, t), z(m, b, t, h * dh));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpShapes.attentionDims("attentionForward",
                z(m, b, t, d), z(m, h, dh, d), z(m, h, dh, d), z(m, h, dh, d), z(m, d, h * dh), true, s), "lastOnly with a full-length q");
        assertTrue(e.getMessage().contains("saved.q") && e.getMessage().contains("[2, 4, 3, 2, 4]")
                && e.getMessage().contains("[2, 4, 1, 2, 4]"), "message names tensor and both shapes: " + e.getMessage());
    }

    @Test
    void mlpAndLinearShapes() {
        int m = 3, n = 15, d = 20, f = 45;
        assertEquals(n, OpShapes.mlpForward(z(m, n, d), z(m, f, d), z(m, d, f), z(m, n, f), z(m, n, d)), "rows");
        assertEquals(n, OpShapes.mlpForward(z(m, 5, 3, d), z(m, f, d), z(m, d, f), z(m, 5, 3, f), z(m, 5, 3, d)), "any leading shape");
        assertEquals(n, OpShapes.mlpBackward(z(m, n, d), z(m, f, d), z(m, d, f), z(m, n, f), z(m, n, d), z(m, n, d), z(m, f, d),
                z(m, d, f)), "rows of the backward");
        assertThrows(IllegalArgumentException.class, () -> OpShapes.mlpForward(z(m, n, d), z(m, d, f), z(m, d, f),
                z(m, n, f), z(m, n, d)), "W_in given as [D, F]");
        assertMessage("mlpBackward", "dW_out", () -> OpShapes.mlpBackward(z(m, n, d), z(m, f, d), z(m, d, f), z(m, n, f), z(m, n, d),
                z(m, n, d), z(m, f, d), z(m, f, d)));
        assertEquals(70, OpShapes.linearForward(z(m, 70, 67), z(m, 130, 67), WeightLayout.OUT_IN, z(m, 70, 130)), "rows");
        OpShapes.linearForward(z(m, 70, 67), z(m, 67, 130), WeightLayout.IN_OUT, z(m, 70, 130));
        assertThrows(IllegalArgumentException.class, () -> OpShapes.linearForward(z(m, 70, 67), z(m, 130, 67),
                WeightLayout.IN_OUT, z(m, 70, 130)), "OUT_IN weight passed as IN_OUT");
        assertMessage("linearBackward", "dX", () -> OpShapes.linearBackward(z(m, 70, 67), z(m, 130, 67), WeightLayout.OUT_IN,
                z(m, 70, 130), z(m, 70, 130), z(m, 130, 67)));
    }

    @Test
    void layerNormShapesOfTheContractPass() {
        int m = 3, n = 37, d = 20;
        assertEquals(n, OpShapes.layerNormForward(z(m, n, d), z(m, d), z(m, d), z(m, n), z(m, n), z(m, n, d)), "rows");
        assertEquals(n, OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(m, n), z(m, n), z(m, n, d), z(m, n, d), z(m, d), z(m, d)),
                "rows of the backward");
        assertEquals(15, OpShapes.layerNormForward(z(m, 5, 3, d), z(m, d), z(m, d), z(m, 15), z(m, 15), z(m, 5, 3, d)),
                "any leading shape is rows");
        Tensor block = z(m, 100);
        Tensor w = new Tensor(block.storage(), 7, Shape.of(m, d), 100), b = new Tensor(block.storage(), 40, Shape.of(m, d), 100);
        OpShapes.layerNormForward(z(m, n, d), w, b, z(m, n), z(m, n), z(m, n, d));
    }

    @Test
    void aWrongLayerNormShapeIsNamed() {
        int m = 2, n = 9, d = 8;
        assertMessage("layerNormForward", "w", () -> OpShapes.layerNormForward(z(m, n, d), z(m, d + 1), z(m, d), z(m, n), z(m, n),
                z(m, n, d)));
        assertMessage("layerNormForward", "b", () -> OpShapes.layerNormForward(z(m, n, d), z(m, d), z(1, d), z(m, n), z(m, n),
                z(m, n, d)));
        assertMessage("layerNormForward", "mean", () -> OpShapes.layerNormForward(z(m, n, d), z(m, d), z(m, d), z(m, n - 1), z(m, n),
                z(m, n, d)));
        assertMessage("layerNormForward", "rstd", () -> OpShapes.layerNormForward(z(m, n, d), z(m, d), z(m, d), z(m, n), z(m, n, d),
                z(m, n, d)));
        assertMessage("layerNormForward", "out", () -> OpShapes.layerNormForward(z(m, n, d), z(m, d), z(m, d), z(m, n), z(m, n),
                z(m, n, d - 1)));
        assertMessage("layerNormBackward", "w", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d, 1), z(m, n), z(m, n),
                z(m, n, d), z(m, n, d), z(m, d), z(m, d)));
        assertMessage("layerNormBackward", "mean", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(1, n), z(m, n),
                z(m, n, d), z(m, n, d), z(m, d), z(m, d)));
        assertMessage("layerNormBackward", "rstd", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(m, n), z(m, d),
                z(m, n, d), z(m, n, d), z(m, d), z(m, d)));
        assertMessage("layerNormBackward", "dOut", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(m, n), z(m, n),
                z(m, n + 1, d), z(m, n, d), z(m, d), z(m, d)));
        assertMessage("layerNormBackward", "dX", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(m, n), z(m, n),
                z(m, n, d), z(m, n, 1), z(m, d), z(m, d)));
        assertMessage("layerNormBackward", "dW", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(m, n), z(m, n),
                z(m, n, d), z(m, n, d), z(m, 1, d), z(m, d)));
        assertMessage("layerNormBackward", "dB", () -> OpShapes.layerNormBackward(z(m, n, d), z(m, d), z(m, n), z(m, n),
                z(m, n, d), z(m, n, d), z(m, d), z(m, d - 1)));
    }

    @Test
    void positionShapesOfTheContractPass() {
        int m = 3, b = 5, t = 4, d = 20;
        OpShapes.lastPositionForward(z(m, b, t, d), z(m, b, 1, d));
        OpShapes.lastPositionBackward(z(m, b, 1, d), z(m, b, t, d));
        OpShapes.sumPositionsForward(z(m, b, t, d), z(m, b, d));
        OpShapes.sumPositionsBackward(z(m, b, d), z(m, b, t, d));
        OpShapes.lastPositionForward(z(m, 0, 0, d), z(m, 0, 1, d)); // nothing to write: no position needed
    }

    @Test
    void aWrongPositionShapeIsNamed() {
        int m = 2, b = 5, t = 3, d = 8;
        assertMessage("lastPositionForward", "out", () -> OpShapes.lastPositionForward(z(m, b, t, d), z(m, b, 1, d + 1)));
        assertMessage("lastPositionForward", "out", () -> OpShapes.lastPositionForward(z(m, b, t, d), z(1, b, 1, d)));
        assertMessage("lastPositionForward", "x", () -> OpShapes.lastPositionForward(z(m, b * t, d), z(m, b, 1, d)));
        assertMessage("lastPositionForward", "x", () -> OpShapes.lastPositionForward(z(m, b, 0, d), z(m, b, 1, d)));
        assertMessage("lastPositionBackward", "dOut", () -> OpShapes.lastPositionBackward(z(m, b, t, d), z(m, b, t, d)));
        assertMessage("lastPositionBackward", "dX", () -> OpShapes.lastPositionBackward(z(m, b, 1, d), z(m, b, t, d, 1)));
        assertMessage("lastPositionBackward", "dX", () -> OpShapes.lastPositionBackward(z(m, b, 1, d), z(m, b, 0, d)));
        assertMessage("sumPositionsForward", "out", () -> OpShapes.sumPositionsForward(z(m, b, t, d), z(m, b - 1, d)));
        assertMessage("sumPositionsForward", "x", () -> OpShapes.sumPositionsForward(z(m, b, d), z(m, b, d)));
        assertMessage("sumPositionsBackward", "dOut", () -> OpShapes.sumPositionsBackward(z(m, b, t * d), z(m, b, t, d)));
        assertMessage("sumPositionsBackward", "dX", () -> OpShapes.sumPositionsBackward(z(m, b, d), z(m, b * t, d)));
    }

    /** The check fails with a message that starts with the op and names the tensor. */
    private static void assertMessage(String op, String tensor, org.junit.jupiter.api.function.Executable check) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, check, op + " with a wrong " + tensor);
        assertTrue(e.getMessage().startsWith(op + ": " + tensor + " "), "message names op and tensor: " + e.getMessage());
    }

    @Test
    void stridedViewsPassOnShape() {
        Tensor block = z(3, 1000);
        Tensor w = new Tensor(block.storage(), 17, Shape.of(3, 30, 20), 1000);
        OpShapes.linearForward(z(3, 4, 20), w, WeightLayout.OUT_IN, z(3, 4, 30));
        ShapeCheck.requireSize("adamwStep", "trainable", z(1, 1000), 1, block.perModel());
        assertThrows(IllegalArgumentException.class, () -> ShapeCheck.requireSize("adamwStep", "lr", z(2, 1), 3, 1), "lr of 2 models for 3");
    }

    @Test
    void sameShapeOpsNameTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpShapes.add(z(2, 3), z(2, 3), z(2, 4)));
        assertEquals("add: shape mismatch [2, 3] vs [2, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpShapes.activationBackward(z(2, 3), z(3, 2), z(2, 3)));
        assertEquals("activationBackward: shape mismatch [2, 3] vs [3, 2]", e.getMessage());
        OpShapes.copy(z(2, 3), z(2, 3));
    }

    @Test
    void tokensOutsideTheVocabularyAreNamed() {
        OpShapes.checkToken(0, 5, "embed: token");
        OpShapes.checkToken(4, 5, "embed: token");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpShapes.checkToken(5, 5, "embed: token"));
        assertEquals("embed: token 5 outside the vocabulary [0, 5)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpShapes.checkToken(-1, 5, "crossEntropy: label"));
    }

    @Test
    void gradFilterStateHoldsOneSlotPerWindowEntry() {
        int m = 3, p = 10;
        OpShapes.gradFilter(z(m, p), z(m, p), z(m, 1), z(1, p), 0);
        OpShapes.gradFilter(z(m, p), z(m, 4 * p), z(m, 1), z(1, p), 4);
        assertMessage("gradFilter", "state", () -> OpShapes.gradFilter(z(m, p), z(m, p), z(m, 1), z(1, p), 4));
        assertMessage("gradFilter", "count", () -> OpShapes.gradFilter(z(m, p), z(m, p), z(1, 1), z(1, p), 0));
        assertMessage("gradFilter", "trainable", () -> OpShapes.gradFilter(z(m, p), z(m, p), z(m, 1), z(1, p + 1), 0));
    }
}
