package polygrok.data;

/** Modular arithmetic the operations need: powers, inverses, primality of the modulus. */
public final class ModMath {
    private ModMath() {
    }

    /** base^exponent mod modulus by repeated squaring; modulus must be below 2^31. */
    public static long pow(long base, long exponent, long modulus) {
        long result = 1 % modulus;
        long b = Math.floorMod(base, modulus);
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = result * b % modulus;
            }
            b = b * b % modulus;
            e >>= 1;
        }
        return result;
    }

    /** The inverse of x mod a prime p (Fermat: x^(p-2)); x must not be 0 mod p. */
    public static long inverse(long x, long p) {
        if (Math.floorMod(x, p) == 0) {
            throw new ArithmeticException("0 has no inverse mod " + p);
        }
        return pow(x, p - 2, p);
    }

    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
