package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The cuda backend's shape checks (they only read shapes, so cpuref tensors serve): the Backend's
 * documented shapes pass, a wrong one fails naming op, tensor and both shapes.
 */
class CudaShapeCheckTest {
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
            MatrixOps.AttentionDims a = OpShapes.attentionDims("attentionForward", z(m, b, t, d), z(m, h, dh, d), z(m, h, dh, d),
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
        OpShapes.checkMlp("mlpForward", z(m, n, d), z(m, f, d), z(m, d, f), z(m, n, f), z(m, n, d), d, f, n);
        OpShapes.checkMlp("mlpForward", z(m, 5, 3, d), z(m, f, d), z(m, d, f), z(m, 5, 3, f), z(m, 5, 3, d), d, f, n);
        assertThrows(IllegalArgumentException.class, () -> OpShapes.checkMlp("mlpForward", z(m, n, d), z(m, d, f), z(m, d, f),
                z(m, n, f), z(m, n, d), d, f, n), "W_in given as [D, F]");
        OpShapes.checkLinear("linearForward", z(m, 70, 67), z(m, 130, 67), WeightLayout.OUT_IN, z(m, 70, 130), 70, 67, 130);
        OpShapes.checkLinear("linearForward", z(m, 70, 67), z(m, 67, 130), WeightLayout.IN_OUT, z(m, 70, 130), 70, 67, 130);
        assertThrows(IllegalArgumentException.class, () -> OpShapes.checkLinear("linearForward", z(m, 70, 67), z(m, 130, 67),
                WeightLayout.IN_OUT, z(m, 70, 130), 70, 67, 130), "OUT_IN weight passed as IN_OUT");
    }

    @Test
    void stridedViewsPassOnShape() {
        Tensor block = z(3, 1000);
        Tensor w = new Tensor(block.storage(), 17, Shape.of(3, 30, 20), 1000);
        OpShapes.checkLinear("linearForward", z(3, 4, 20), w, WeightLayout.OUT_IN, z(3, 4, 30), 4, 20, 30);
        ShapeCheck.requireSize("adamwStep", "trainable", z(1, 1000), 1, block.perModel());
        assertThrows(IllegalArgumentException.class, () -> ShapeCheck.requireSize("adamwStep", "lr", z(2, 1), 3, 1), "lr of 2 models for 3");
    }
}
