package polygrok.backend.cpu;

/**
 * Exact (erf) GELU and its derivative in float32, one element at a time: the scalar twin of
 * {@link VectorGelu}, operation for operation (the same float roundings, the same fused multiply-adds),
 * so the scalar loops, the vector loops and a vector loop's tail all give the same bits.
 *
 * <p>GELU(x) = x Φ(x), Φ(x) = erfc(-x/√2) / 2, GELU'(x) = Φ(x) + x φ(x), φ(x) = exp(-x²/2) / √(2π). erfc
 * of z = |x|/√2 is Abramowitz and Stegun 7.1.26, erfc(z) ≈ t (a1 + t (a2 + ... + t a5)) exp(-z²) with
 * t = 1 / (1 + p z) (its absolute error is below 1.5e-7); exp(-z²) = exp(-x²/2) is also φ's, so one
 * exp serves both. Using erfc rather than 1 + erf keeps the left tail's relative accuracy.
 *
 * <p>Measured over every 64th float in [-16, 16] (and every 4096th in [-1000, 1000]) against the
 * float64 definition with commons-math's erf: the value is within 4.2e-7 (worst near x = -3.08, where
 * x multiplies erf's 1.5e-7; 2.1e-7 + 2.5e-7 |ref| everywhere), the derivative within 3.1e-7 (1.8e-7 +
 * 2.5e-7 |ref|): inside the conformance suite's activation tolerance, 1e-6 + 1e-6 |ref|.
 * {@code FloatGeluTest} checks 2.5e-7 + 2.5e-7 |ref| for both.
 */
final class FloatGelu {
    static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    // Abramowitz and Stegun 7.1.26
    static final float P = 0.3275911f;
    static final float A1 = 0.254829592f;
    static final float A2 = -0.284496736f;
    static final float A3 = 1.421413741f;
    static final float A4 = -1.453152027f;
    static final float A5 = 1.061405429f;

    // exp(y) for y <= 0 as 2^k exp(r): k = round(y / ln 2) by adding 1.5 * 2^23 (the float's last
    // place is then 1, so the addition rounds to the integer), r = y - k ln 2 in two parts (Cody and
    // Waite: k * LN2_HI is exact for |k| < 2^15), exp(r) by its Taylor series to r^7 (|r| <= 0.347,
    // truncation below 6e-9 relative), 2^k built from its exponent bits.
    static final float LOG2E = 1.44269504f;
    static final float SHIFTER = 12582912f;
    static final int SHIFTER_BITS = 0x4B400000;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** Below this exp(y) is taken as 0: 2^k would leave the normal floats (exp(-87.33) is 1.2e-38). */
    static final float EXP_MIN = -87.33f;
    static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private FloatGelu() {
    }

    /** exp(y) for y <= 0 (0 below {@link #EXP_MIN}; NaN stays NaN). */
    static float expNonPositive(float y) {
        float yc = Math.max(y, EXP_MIN);
        float shifted = Math.fma(yc, LOG2E, SHIFTER);
        float k = shifted - SHIFTER;
        float r = Math.fma(-k, LN2_HI, yc);
        r = Math.fma(-k, LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - SHIFTER_BITS + 127) << 23);
        float e = p * scale;
        return y < EXP_MIN ? 0f : e;
    }

    /** exp(-x²/2), the shared factor of erfc(|x|/√2) and φ(x). */
    static float gauss(float x) {
        return expNonPositive(x * x * -0.5f);
    }

    /** Φ(x) given {@code gauss} = exp(-x²/2). */
    static float phi(float x, float gauss) {
        float z = Math.abs(x) * INV_SQRT2;
        float t = 1f / Math.fma(P, z, 1f);
        float poly = Math.fma(A5, t, A4);
        poly = Math.fma(poly, t, A3);
        poly = Math.fma(poly, t, A2);
        poly = Math.fma(poly, t, A1);
        float half = poly * t * gauss * 0.5f;
        return x >= 0 ? 1f - half : half;
    }

    static float value(float x) {
        return x * phi(x, gauss(x));
    }

    static float derivative(float x) {
        float g = gauss(x);
        return Math.fma(x * g, INV_SQRT_2PI, phi(x, g));
    }
}
