package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The elementwise loops on awkward values (NaN, signed zeros, infinities) and lengths around the vector width. */
class SimdLoopsTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, 1.5f, -2.5f};

    @ParameterizedTest(name = "vector = {0}")
    @ValueSource(booleans = {true, false})
    void reluAndMaskMatchTheReferenceSelect(boolean vector) {
        SimdLoops loops = TileKernels.chooseLoops(vector);
        for (int n : new int[]{0, 1, 15, 16, 17, 33, 100}) {
            float[] x = new float[n + 3], out = new float[n + 3], d = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = SPECIAL[i % SPECIAL.length];
                out[i] = 7f;
                d[i] = 1f + i;
            }
            loops.relu(x, 1, out, 2, n);
            loops.reluMask(x, 1, d, 2, n);
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

    /** Math.exp is the reference; the Vector API's EXP is within an ulp or two of it, far below this. */
    static final double EXP_RTOL = 1e-14;

    @ParameterizedTest(name = "vector = {0}")
    @ValueSource(booleans = {true, false})
    void expShiftedMatchesMathExp(boolean vector) {
        SimdLoops loops = TileKernels.chooseLoops(vector);
        java.util.Random rnd = new java.util.Random(3);
        for (int n : new int[]{0, 1, 7, 8, 9, 16, 17, 102}) {
            float[] z = new float[n + 2];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (rnd.nextGaussian() * 8);
            }
            if (n > 3) {
                z[3] = Float.NEGATIVE_INFINITY; // a masked logit: exp gives 0
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 1; i <= n; i++) {
                max = Math.max(max, z[i]);
            }
            double[] out = new double[n + 5];
            double sum = loops.expShifted(z, 1, n, max, out);
            double want = 0;
            for (int i = 0; i < n; i++) {
                double e = Math.exp((double) z[1 + i] - max);
                want += e;
                if (!(Math.abs(out[i] - e) <= EXP_RTOL * e)) {
                    throw new AssertionError("expShifted(n=" + n + ") out[" + i + "] = " + out[i] + ", Math.exp gives " + e);
                }
            }
            if (!(Math.abs(sum - want) <= EXP_RTOL * want)) {
                throw new AssertionError("expShifted(n=" + n + ") sum " + sum + ", Math.exp gives " + want);
            }
        }
    }

    @ParameterizedTest(name = "vector = {0}")
    @ValueSource(booleans = {true, false})
    void addIntoAddsExactlyItsRange(boolean vector) {
        SimdLoops loops = TileKernels.chooseLoops(vector);
        for (int n : new int[]{0, 1, 15, 16, 17, 64, 100}) {
            float[] src = new float[n + 4], dst = new float[n + 4];
            for (int i = 0; i < src.length; i++) {
                src[i] = 0.25f * i - 3;
                dst[i] = 100f + i;
            }
            loops.addInto(src, 2, dst, 1, n);
            for (int i = 0; i < dst.length; i++) {
                float want = i >= 1 && i <= n ? 100f + i + (0.25f * (i + 1) - 3) : 100f + i;
                assertEquals(want, dst[i], "addInto(n=" + n + ") dst[" + i + "]");
            }
        }
    }

    /** The vector GELU loops give the scalar twin's bits on every lane and tail, on random and awkward inputs. */
    @ParameterizedTest(name = "vector = {0}")
    @ValueSource(booleans = {true, false})
    void geluLoopsGiveTheScalarTwinsBits(boolean vector) {
        SimdLoops loops = TileKernels.chooseLoops(vector);
        java.util.Random rnd = new java.util.Random(5);
        for (int n : new int[]{0, 1, 15, 16, 17, 33, 100}) {
            float[] x = new float[n + 3], g = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 4 == 0 ? SPECIAL[(i / 4) % SPECIAL.length] : (float) (rnd.nextGaussian() * 6);
                g[i] = (float) rnd.nextGaussian();
            }
            float[] out = new float[n + 3], d = g.clone(), gx = g.clone();
            java.util.Arrays.fill(out, 7f);
            loops.gelu(x, 1, out, 2, n);
            loops.geluGrad(x, 1, d, 2, n);
            loops.geluGradAdd(x, 1, g, 0, gx, 2, n);
            for (int i = 0; i < n; i++) {
                float v = x[1 + i];
                assertBits(FloatGelu.value(v), out[2 + i], "gelu(n=" + n + ") out[" + i + "] for x = " + v);
                assertBits(g[2 + i] * FloatGelu.derivative(v), d[2 + i], "geluGrad(n=" + n + ") d[" + i + "] for pre = " + v);
                assertBits(g[2 + i] + FloatGelu.derivative(v) * g[i], gx[2 + i], "geluGradAdd(n=" + n + ") gx[" + i + "] for x = " + v);
            }
            assertEquals(7f, out[1], "gelu(n=" + n + ") wrote before its range");
            assertEquals(7f, out[n + 2], "gelu(n=" + n + ") wrote past its range");
            assertEquals(g[n + 2], gx[n + 2], "geluGradAdd(n=" + n + ") wrote past its range");
        }
    }

    @ParameterizedTest(name = "vector = {0}")
    @ValueSource(booleans = {true, false})
    void reluGradAddMultipliesByTheStepDerivative(boolean vector) {
        SimdLoops loops = TileKernels.chooseLoops(vector);
        for (int n : new int[]{0, 1, 15, 16, 17, 33, 100}) {
            float[] x = new float[n + 3], g = new float[n + 3], gx = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = SPECIAL[i % SPECIAL.length];
                g[i] = i % 5 == 0 ? Float.POSITIVE_INFINITY : 0.5f * i - 4;
                gx[i] = 10f + i;
            }
            float[] before = gx.clone();
            loops.reluGradAdd(x, 1, g, 0, gx, 2, n);
            for (int i = 0; i < gx.length; i++) {
                // (x > 0 ? 1 : 0) * g, as the float64 reference multiplies: 0 * inf is NaN there too
                float want = i >= 2 && i < n + 2 ? before[i] + (x[i - 1] > 0 ? 1f : 0f) * g[i - 2] : before[i];
                assertBits(want, gx[i], "reluGradAdd(n=" + n + ") gx[" + i + "]");
            }
        }
    }

    private static void assertBits(float want, float got, String what) {
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), what + ": got " + got + ", want " + want);
    }

    @ParameterizedTest(name = "coupled = {0}")
    @ValueSource(booleans = {false, true})
    void adamwOnVectorLanesGivesTheScalarLoopsBits(boolean coupled) {
        SimdLoops vector = TileKernels.chooseLoops(true), scalar = TileKernels.chooseLoops(false);
        java.util.Random rnd = new java.util.Random(11);
        AdamWConstants c = new AdamWConstants(1e-3, coupled ? 0.005 : 1.0, coupled, 0.9, 0.98, 1e-3 / (1 - 0.9 * 0.9),
                Math.sqrt(1 - 0.98 * 0.98), 1e-8);
        for (int n : new int[]{0, 1, 7, 8, 9, 15, 16, 17, 100, 1000}) {
            float[] w = new float[n + 3], g = new float[n + 3], m1 = new float[n + 3], m2 = new float[n + 3], mask = new float[n + 3];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rnd.nextGaussian();
                g[i] = (float) (rnd.nextGaussian() * Math.pow(10, -rnd.nextInt(8)));
                m1[i] = (float) (rnd.nextGaussian() * 1e-3);
                m2[i] = (float) Math.abs(rnd.nextGaussian() * 1e-6);
                mask[i] = i % 7 == 3 ? 0f : 1f;
            }
            float[][] a = {w.clone(), m1.clone(), m2.clone()}, b = {w.clone(), m1.clone(), m2.clone()};
            vector.adamw(a[0], 1, g, 2, a[1], 0, a[2], 3, mask, 0, 0, n, c);
            scalar.adamw(b[0], 1, g, 2, b[1], 0, b[2], 3, mask, 0, 0, n, c);
            String[] names = {"w", "m1", "m2"};
            for (int t = 0; t < 3; t++) {
                for (int i = 0; i < a[t].length; i++) {
                    if (Float.floatToIntBits(a[t][i]) != Float.floatToIntBits(b[t][i])) {
                        throw new AssertionError("adamw(n=" + n + ", coupled " + coupled + ") " + names[t] + "[" + i + "]: vector "
                                + a[t][i] + ", scalar " + b[t][i]);
                    }
                }
            }
            if (n > 3) {
                // a frozen element keeps its weight and moments; a trained one moves
                if (a[0][4] != w[4] || a[1][3] != m1[3]) {
                    throw new AssertionError("adamw(n=" + n + ") changed a frozen element");
                }
                if (a[0][1] == w[1]) {
                    throw new AssertionError("adamw(n=" + n + ") did not move w[1]");
                }
            }
        }
    }
}
