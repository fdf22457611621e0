package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * The float32 GELU against the float64 definition (commons-math erf) over every 2048th float in
 * [-16, 16] (every exponent, both signs, both sides of exp's underflow cut at |x| = 13.2), and on
 * the values where the formula could break: zeros, infinities, NaN, subnormals, huge inputs.
 */
class FloatGeluTest {
    /**
     * |got - ref| <= ATOL + RTOL |ref|: the measured worst cases are 2.1e-7 + 2.5e-7 |ref| for the value
     * (abs 4.2e-7 at x = -3.08, where x scales erf's 1.5e-7) and 1.8e-7 + 2.5e-7 |ref| for the derivative.
     * The conformance suite's activation tolerance, which the backend must meet, is 1e-6 + 1e-6 |ref|.
     */
    static final double ATOL = 2.5e-7;
    static final double RTOL = 2.5e-7;

    static double refValue(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    static double refDerivative(double x) {
        return 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    @Test
    void valueAndDerivativeFollowTheErfDefinitionOverTheFloats() {
        int checked = 0;
        for (int sign : new int[]{0, 0x80000000}) {
            for (int bits = 0; bits <= Float.floatToIntBits(16f); bits += 2048) {
                float x = Float.intBitsToFloat(bits | sign);
                check("value", x, FloatGelu.value(x), refValue(x));
                check("derivative", x, FloatGelu.derivative(x), refDerivative(x));
                checked++;
            }
        }
        assertEquals(2 * (Float.floatToIntBits(16f) / 2048 + 1), checked);
    }

    private static void check(String what, float x, float got, double ref) {
        if (!(Math.abs(got - ref) <= ATOL + RTOL * Math.abs(ref))) {
            throw new AssertionError("GELU " + what + " at x = " + x + " (bits " + Integer.toHexString(Float.floatToIntBits(x))
                    + "): float32 gives " + got + ", float64 reference " + ref + ", off by " + Math.abs(got - ref));
        }
    }

    @Test
    void specialValues() {
        assertEquals(0f, FloatGelu.value(0f));
        assertEquals(-0f, FloatGelu.value(-0f), "GELU(-0) keeps the sign, as 0.5 x (1 + erf) does");
        assertEquals(0.5f, FloatGelu.derivative(0f), 3e-7f);
        assertEquals(Float.POSITIVE_INFINITY, FloatGelu.value(Float.POSITIVE_INFINITY));
        assertEquals(1f, FloatGelu.value(1e30f) / 1e30f);
        assertEquals(1f, FloatGelu.derivative(1e30f), "GELU'(x) -> 1 for large x (exp(-x^2/2) is 0, not 0 * inf)");
        assertEquals(0f, FloatGelu.derivative(-1e30f), "GELU'(x) -> 0 for very negative x");
        assertEquals(0f, FloatGelu.value(-1e30f), 0f);
        assertEquals(Float.NaN, FloatGelu.value(Float.NaN));
        assertEquals(Float.NaN, FloatGelu.derivative(Float.NaN));
        assertEquals(Float.NaN, FloatGelu.value(Float.NEGATIVE_INFINITY), "-inf * 0, as the float64 formula gives");
        float tiny = Float.MIN_VALUE;
        assertEquals(0.5 * tiny, FloatGelu.value(tiny), tiny, "a subnormal x");
        assertEquals(0.5f, FloatGelu.derivative(-tiny), 3e-7f);
    }

    @Test
    void expNonPositiveFollowsMathExp() {
        // the Taylor series to r^7 and the 2^k scale: within 2 ulps of Math.exp down to the cut
        for (float y = 0f; y >= FloatGelu.EXP_MIN; y -= 0.0137f) {
            double want = Math.exp(y);
            float got = FloatGelu.expNonPositive(y);
            if (!(Math.abs(got - want) <= 2 * Math.ulp((float) want))) {
                throw new AssertionError("exp(" + y + ") = " + got + ", Math.exp gives " + want);
            }
        }
        assertEquals(0f, FloatGelu.expNonPositive(-88f));
        assertEquals(0f, FloatGelu.expNonPositive(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FloatGelu.expNonPositive(-0f));
    }
}
