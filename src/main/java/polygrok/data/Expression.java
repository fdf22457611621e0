package polygrok.data;

/**
 * A polynomial in the operands a, b, c with integer coefficients, evaluated modulo p.
 * Built by {@link ExpressionParser}; {@link #toString()} gives a fully parenthesised canonical text.
 */
public sealed interface Expression {

    /** The value mod {@code modulus}, in [0, modulus); operands[i] is variable i (a, b, c). */
    long evaluate(long[] operands, long modulus);

    /** Highest variable index used plus one (0 for a constant). */
    int arity();

    record Constant(long value) implements Expression {
        public long evaluate(long[] operands, long modulus) {
            return Math.floorMod(value, modulus);
        }

        public int arity() {
            return 0;
        }

        public String toString() {
            return Long.toString(value);
        }
    }

    record Variable(int index) implements Expression {
        public static final String NAMES = "abc";

        public Variable {
            if (index < 0 || index >= NAMES.length()) {
                throw new IllegalArgumentException("expression variable index " + index + ", allowed 0..2 (a, b, c)");
            }
        }

        public long evaluate(long[] operands, long modulus) {
            return Math.floorMod(operands[index], modulus);
        }

        public int arity() {
            return index + 1;
        }

        public String toString() {
            return String.valueOf(NAMES.charAt(index));
        }
    }

    record Negate(Expression inner) implements Expression {
        public long evaluate(long[] operands, long modulus) {
            return Math.floorMod(-inner.evaluate(operands, modulus), modulus);
        }

        public int arity() {
            return inner.arity();
        }

        public String toString() {
            return "(-" + inner + ")";
        }
    }

    record Binary(char op, Expression left, Expression right) implements Expression {
        public Binary {
            if ("+-*".indexOf(op) < 0) {
                throw new IllegalArgumentException("expression operator '" + op + "', allowed + - *");
            }
        }

        public long evaluate(long[] operands, long modulus) {
            long l = left.evaluate(operands, modulus);
            long r = right.evaluate(operands, modulus);
            // both are below modulus (< 2^31), so the product fits in a long
            return switch (op) {
                case '+' -> (l + r) % modulus;
                case '-' -> Math.floorMod(l - r, modulus);
                default -> (l * r) % modulus;
            };
        }

        public int arity() {
            return Math.max(left.arity(), right.arity());
        }

        public String toString() {
            return "(" + left + " " + op + " " + right + ")";
        }
    }

    record Power(Expression base, int exponent) implements Expression {
        public Power {
            if (exponent < 0) {
                throw new IllegalArgumentException("expression exponent " + exponent + ", must be >= 0");
            }
        }

        public long evaluate(long[] operands, long modulus) {
            return ModMath.pow(base.evaluate(operands, modulus), exponent, modulus);
        }

        public int arity() {
            return base.arity();
        }

        public String toString() {
            return base + "^" + exponent;
        }
    }
}
