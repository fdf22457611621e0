package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ReLU loops on awkward values (NaN, signed zeros, infinities) and lengths around the vector width. */
class ElementwiseTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, 1.5f, -2.5f};

    @ParameterizedTest(name = "vector = {0}")
    @ValueSource(booleans = {true, false})
    void reluAndMaskMatchTheReferenceSelect(boolean vector) {
        Elementwise ew = TileKernels.chooseElementwise(vector);
        for (int n : new int[]{0, 1, 15, 16, 17, 33, 100}) {
            float[] x = new float[n + 3], out = new float[n + 3], d = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = SPECIAL[i % SPECIAL.length];
                out[i] = 7f;
                d[i] = 1f + i;
            }
            ew.relu(x, 1, out, 2, n);
            ew.reluMask(x, 1, d, 2, n);
            for (int i = 0; i < n; i++) {
                float v = x[1 + i];
                float want = v > 0 ? v : 0f;
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[2 + i]),
                        "relu(n=" + n + ") out[" + i + "] for x = " + v + ": got " + out[2 + i] + ", want " + want);
                float wantD = v > 0 ? 3f + i : 0f;
                assertEquals(wantD, d[2 + i], "reluMask(n=" + n + ") d[" + i + "] for pre = " + v);
            }
            assertEquals(7f, out[1], "relu(n=" + n + ") wrote before its range");
            assertEquals(7f, out[n + 2], "relu(n=" + n + ") wrote past its range");
        }
    }
}
