package polygrok.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpressionParserTest {

    private static long eval(String text, long a, long b, long c, long p) {
        return ExpressionParser.parse(text).evaluate(new long[]{a, b, c}, p);
    }

    @Test
    void precedenceAndAssociativity() {
        assertEquals(Math.floorMod(2 + 3 * 4, 97), eval("a + b * c", 2, 3, 4, 97), "a + b*c");
        assertEquals(Math.floorMod(2 - 3 - 4, 97), eval("a - b - c", 2, 3, 4, 97), "left-associative minus");
        assertEquals(Math.floorMod(-(2 * 2), 97), eval("-a^2", 2, 0, 0, 97), "unary minus binds looser than ^");
        assertEquals(Math.floorMod((2 + 3) * (2 + 3) * (2 + 3), 97), eval("(a+b)^3", 2, 3, 0, 97), "parenthesised power");
        assertEquals(1, eval("a^0", 5, 0, 0, 97), "zero exponent");
        assertEquals(Math.floorMod(7 * 7 * 7 + 7 * 9 * 9 + 9, 97), eval("x^3 + x*y^2 + y", 7, 9, 0, 97), "x, y aliases");
        assertEquals(Math.floorMod(3 * 5 - 12, 97), eval("  3*a-12 ", 5, 0, 0, 97), "spaces and constants");
    }

    @Test
    void largeValuesStayExactModP() {
        long p = 46337; // a prime near the largest supported modulus
        long a = 46000;
        long want = java.math.BigInteger.valueOf(a).pow(7).mod(java.math.BigInteger.valueOf(p)).longValue();
        assertEquals(want, eval("a^7", a, 0, 0, p), "a^7 mod p for large a");
    }

    private static ExpressionException fails(String text) {
        return assertThrows(ExpressionException.class, () -> ExpressionParser.parse(text), "parse of \"" + text + "\" should fail");
    }

    @Test
    void errorsPointAtTheOffendingCharacter() {
        ExpressionException e = fails("a^2 + $b");
        assertEquals(7, e.column(), "column of '$' in " + e.getMessage());
        assertTrue(e.getMessage().contains("\n  a^2 + $b\n        ^"), "caret under '$': " + e.getMessage());

        assertEquals(3, fails("a^-1").column(), "negative exponent column");
        assertEquals(3, fails("a^b").column(), "non-integer exponent column");
        assertEquals(1, fails("(a + b").column(), "unclosed parenthesis points at '('");
        assertEquals(6, fails("a + b)").column(), "stray ')' column");
        assertEquals(4, fails("a +").column(), "unexpected end column");
        assertEquals(2, fails("ab").column(), "implicit product column");
        assertEquals(2, fails("2a").column(), "number followed by a variable");
        assertEquals(1, fails("").column(), "empty expression");
        assertEquals(1, fails("d + 1").column(), "unknown variable");
        assertTrue(fails("a^99").getMessage().contains("larger than 64"), "exponent limit");
    }
}
