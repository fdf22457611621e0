package polygrok.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations registry: every task of the seed repository (names, formulas, token formats
 * and operand domains as its dataset module defines them) plus any polynomial written as an
 * expression in a, b (and c).
 *
 * <p>Seed naming: a plain polynomial name ("x2_y2") is the long format there and "x2_y2_short"
 * the short one. Here the name picks the function and the config's {@code format} picks the
 * spelling; a "_short" suffix is accepted and forces the short format.
 */
public final class Operations {
    public static final String SHORT_SUFFIX = "_short";
    private static final Map<String, Operation> BUILT_IN = buildRegistry();

    private Operations() {
    }

    /** Every built-in operation, in registry order. */
    public static List<Operation> all() {
        return List.copyOf(BUILT_IN.values());
    }

    public static List<String> names() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /** True for a registry name (with or without "_short") or an expression that parses. */
    public static boolean isKnown(String nameOrExpression) {
        try {
            resolve(nameOrExpression);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True if the text names a registry operation, with or without the "_short" suffix. */
    public static boolean isRegistryName(String name) {
        return BUILT_IN.containsKey(stripShort(name));
    }

    /** The name with a trailing "_short" removed. */
    public static String stripShort(String name) {
        return name.endsWith(SHORT_SUFFIX) ? name.substring(0, name.length() - SHORT_SUFFIX.length()) : name;
    }

    /**
     * The operation a config names: a registry name (with or without "_short") or, if the text
     * looks like an expression (it has an operator, a parenthesis or is a lone variable), the
     * parsed polynomial. Anything else is an unknown operation.
     */
    public static Operation resolve(String nameOrExpression) {
        if (nameOrExpression == null || nameOrExpression.isBlank()) {
            throw new IllegalArgumentException("operation name is empty; known: " + String.join(", ", names())
                    + ", or a polynomial such as \"a^2 + a*b + b^2\"");
        }
        ExpressionParser.refuseControlCharacters(nameOrExpression);
        Operation op = BUILT_IN.get(stripShort(nameOrExpression));
        if (op != null) {
            return op;
        }
        if (looksLikeExpression(nameOrExpression)) {
            return expressionOperation(nameOrExpression.trim());
        }
        throw new IllegalArgumentException("unknown operation \"" + nameOrExpression + "\"; known: "
                + String.join(", ", names()) + ", or a polynomial such as \"a^2 + a*b + b^2\"");
    }

    /** The token style a name asks for: "_short" forces SHORT, otherwise the configured one. */
    public static TokenStyle styleFor(String nameOrExpression, TokenStyle configured) {
        return nameOrExpression.endsWith(SHORT_SUFFIX) && BUILT_IN.containsKey(stripShort(nameOrExpression))
                ? TokenStyle.SHORT : configured;
    }

    static boolean looksLikeExpression(String s) {
        String t = s.trim();
        return t.matches(".*[-+*^()\\s].*") || t.matches("[abcxyz]");
    }

    /** An operation for a polynomial expression: short format only, answer mod p. */
    public static Operation expressionOperation(String text) {
        Expression e = ExpressionParser.parse(text);
        int arity = Math.max(2, e.arity());
        return new Operation(text, "(" + text + ") mod p", arity, TokenFormat.shortFormat(arity), null,
                OperandDomain.ALL, OperandDomain.ALL, poly(e), false, false,
                "parsed expression; canonical form " + e + "; short format only");
    }

    private static AnswerRule poly(Expression e) {
        return (operands, p, range) -> {
            long[] v = new long[operands.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = operands[i];
            }
            return (int) e.evaluate(v, p);
        };
    }

    private static Map<String, Operation> buildRegistry() {
        List<Operation> ops = new ArrayList<>();
        // [a, op, b] tasks: the seed has one format for these
        ops.add(binary("add", "a + b", "a + b", OperandDomain.ALL, false, ""));
        ops.add(binary("subtract", "a - b", "a - b", OperandDomain.ALL, false, ""));
        ops.add(binary("multiply", "a * b", "a * b", OperandDomain.ALL, true, ""));
        ops.add(new Operation("division", "(a * b^-1) mod p", 2, TokenFormat.of("a / b"), TokenFormat.of("a / b"),
                OperandDomain.DIVISOR_NON_ZERO, OperandDomain.DIVISOR_NON_ZERO,
                (o, p, r) -> (int) (Math.floorMod((long) o[0], p) * ModMath.inverse(o[1], p) % p),
                true, false, "the seed drops b == 0; with operand range p+5, b == p is dropped too (no inverse)"));
        ops.add(binary("multiply_non_zero", "a * b", "a * b", OperandDomain.NON_ZERO, true,
                "pairs containing 0 are dropped before the split, as the seed's non_zero filter"));
        ops.add(new Operation("rand", "fixed random table T[a][b] in 0..p-1", 2, TokenFormat.of("a = b"),
                TokenFormat.of("a = b"), OperandDomain.ALL, OperandDomain.ALL,
                (o, p, r) -> RandomTable.answer(o[0], o[1], p, r), false, false,
                "the seed's table was unseeded numpy; polygrok's is random.seed(0) + randbelow(p) row-major"));
        ops.add(new Operation("only_add", "a + b (no modulus)", 2, TokenFormat.of("a + b"), TokenFormat.of("a + b"),
                OperandDomain.ALL, OperandDomain.ALL, (o, p, r) -> o[0] + o[1], false, true,
                "answers reach 2p-2, so the model needs 2p output classes"));
        // polynomials in a, b: seed long formats spell the expression out with repeated factors
        ops.add(poly2("x2_y2", "a^2 + b^2", "a * a + b * b"));
        ops.add(poly2("x2_xy_y2", "a^2 + a*b + b^2", "a * a + a * b + b * b"));
        ops.add(poly2("x2_xy_y2_x", "a^2 + a*b + b^2 + a", "a * a + a * b + b * b + a"));
        ops.add(poly2("x3_xy", "a^3 + a*b", "a * a * a + a * b"));
        ops.add(poly2("x3_xy2_y", "a^3 + a*b^2 + b", "a * a * a + a * b * b + b"));
        ops.add(poly2("x_x_y", "2*a + b", "a + a + b"));
        ops.add(poly2("xy_y", "a*b + b", "a * b + b"));
        ops.add(poly2("x2_y", "a^2 + b", "a * a + b"));
        ops.add(poly2("2x_3y", "2*a + 3*b", "a + a + b + b + b"));
        ops.add(poly2("x3_2y", "a^3 + 2*b", "a * a * a + b + b"));
        ops.add(poly2("x2_2xy_y2", "a^2 + 2*a*b + b^2", "a * a + a * b + a * b + b * b"));
        ops.add(poly2("x2_2xy_y2_x_y", "a^2 + 2*a*b + b^2 + a + b", "a * a + a * b + a * b + b * b + a + b"));
        ops.add(poly2("x_x_m_y", "2*a - b", "a + a - b"));
        ops.add(poly2("xy_m_y", "a*b - b", "a * b - b"));
        ops.add(poly2("x2_m_y", "a^2 - b", "a * a - b"));
        ops.add(poly2("2x_m_3y", "2*a - 3*b", "a + a - b - b - b"));
        ops.add(poly2("x3_m_2y", "a^3 - 2*b", "a * a * a - b - b"));
        ops.add(poly2("x2_m_y2", "a^2 - b^2", "a * a - b * b"));
        ops.add(poly2("x2_m_2xy_y2", "a^2 - 2*a*b + b^2", "a * a - a * b - a * b + b * b"));
        // the seed has these in short format only
        ops.add(poly2("_x_y__3", "(a + b)^3", null));
        ops.add(poly2("_x_y__4", "(a + b)^4", null));
        ops.add(poly2("_x_m_y__3", "(a - b)^3", null));
        ops.add(poly2("_x_m_y__4", "(a - b)^4", null));
        ops.add(poly2("xy_x_y", "a*b + a + b", null));
        ops.add(poly2("xy_x_m_y", "a*b + a - b", null));
        // three operands: 5 input tokens in both formats
        ops.add(poly3("add_z", "a + b + c", "a + b + c", false));
        ops.add(poly3("subtract_z", "a - b - c", "a - b - c", false));
        ops.add(poly3("multiply_z", "a*b*c", "a * b * c", true));
        ops.add(poly3("x2_y2_z", "a^2 + b^2 + c", "a * a + b * b + c", false));
        ops.add(poly3("x2_y2_z2", "a^2 + b^2 + c^2", "a * a + b * b + c * c", false));
        Map<String, Operation> map = new LinkedHashMap<>();
        for (Operation op : ops) {
            map.put(op.name(), op);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Operation binary(String name, String expr, String format, OperandDomain domain,
                                    boolean needsPrime, String note) {
        TokenFormat f = TokenFormat.of(format);
        return new Operation(name, "(" + expr + ") mod p", 2, f, f, domain, OperandDomain.ALL, poly(ExpressionParser.parse(expr)),
                needsPrime, false, note);
    }

    private static Operation poly2(String name, String expr, String longFormat) {
        return new Operation(name, "(" + expr + ") mod p", 2, TokenFormat.shortFormat(2),
                longFormat == null ? null : TokenFormat.of(longFormat), OperandDomain.ALL, OperandDomain.ALL,
                poly(ExpressionParser.parse(expr)), false, false,
                name.equals("x2_2xy_y2_x_y") ? "the seed's long format has a typo and cannot run; this is the one it meant" : "");
    }

    private static Operation poly3(String name, String expr, String longFormat, boolean needsPrime) {
        return new Operation(name, "(" + expr + ") mod p", 3, TokenFormat.shortFormat(3), TokenFormat.of(longFormat),
                OperandDomain.ALL, OperandDomain.ALL, poly(ExpressionParser.parse(expr)), needsPrime, false, "");
    }
}
