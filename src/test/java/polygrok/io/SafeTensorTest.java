package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeTensorTest {

    @Test
    void valueCountMustMatchTheShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensor.f32("w", new int[] {2, 3}, new double[5]));
        assertTrue(e.getMessage().contains("w") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("6")
                && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void integerTensorsRejectFractionsAndOutOfRangeValues() {
        var frac = assertThrows(IllegalArgumentException.class, () -> SafeTensor.i64("t", new int[] {2}, new double[] {1, 1.5}));
        assertTrue(frac.getMessage().contains("1.5") && frac.getMessage().contains("index 1"), frac.getMessage());
        var big = assertThrows(IllegalArgumentException.class, () -> SafeTensor.i32("t", new int[] {1}, new double[] {3e9}));
        assertTrue(big.getMessage().contains("I32"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafeTensor.i64("t", new int[] {1}, new double[] {Double.NaN}));
    }

    @Test
    void shapeIsCopiedInAndOut() {
        int[] shape = {2};
        SafeTensor t = SafeTensor.f64("t", shape, new double[2]);
        shape[0] = 9;
        t.shape()[0] = 9;
        assertArrayEquals(new int[] {2}, t.shape(), "shape must not change through the caller's arrays");
    }

    @Test
    void intValuesOfAnIntegerTensor() {
        assertArrayEquals(new int[] {3, -4}, SafeTensor.i64("t", new int[] {2}, new double[] {3, -4}).intValues(), "intValues");
        assertThrows(IllegalStateException.class, () -> SafeTensor.f32("x", new int[] {1}, new double[] {1}).intValues());
    }

    @Test
    void aMissingTensorIsNamedWithTheClosestNames() {
        SafetensorsFile f = SafetensorsFile.of(Map.of(), List.of(
                SafeTensor.f32("param.embed.W_E", new int[] {1}, new double[1]),
                SafeTensor.f32("param.unembed.W_U", new int[] {1}, new double[1]),
                SafeTensor.f32("grad.embed.W_E", new int[] {1}, new double[1])));
        var e = assertThrows(IllegalArgumentException.class, () -> f.tensor("param.embed.W_e"));
        String m = e.getMessage();
        assertTrue(m.contains("\"param.embed.W_e\""), "names the missing tensor: " + m);
        assertTrue(m.indexOf("param.embed.W_E") < m.indexOf("param.unembed.W_U"), "nearest name first: " + m);
    }

    @Test
    void withPrefixStripsThePrefixFromKeysAndNames() {
        SafetensorsFile f = SafetensorsFile.of(Map.of(), List.of(
                SafeTensor.f32("grad.a", new int[] {1}, new double[1]),
                SafeTensor.f32("f64.grad.a", new int[] {1}, new double[1])));
        Map<String, SafeTensor> g = f.withPrefix("grad.");
        assertEquals(List.of("a"), List.copyOf(g.keySet()), "only grad.* and not f64.grad.*");
        assertEquals("a", g.get("a").name(), "renamed tensor");
    }

    @Test
    void duplicateNamesAreRejected() {
        SafeTensor t = SafeTensor.f32("a", new int[] {1}, new double[1]);
        var e = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.of(Map.of(), List.of(t, t)));
        assertTrue(e.getMessage().contains("a"), e.getMessage());
    }
}
