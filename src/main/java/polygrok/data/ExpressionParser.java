package polygrok.data;

import polygrok.config.Printable;

/**
 * Recursive-descent parser for polynomials in a, b, c (x, y, z are accepted as the same
 * variables, as the seed repository names them):
 * <pre>
 *   expr    := term (('+' | '-') term)*
 *   term    := unary ('*' unary)*
 *   unary   := '-' unary | power
 *   power   := primary ('^' integer)?      -- a non-negative integer exponent
 *   primary := integer | variable | '(' expr ')'
 * </pre>
 * Spaces are ignored; other whitespace and control characters are refused. Errors name the column and draw a caret under the offending character.
 */
public final class ExpressionParser {
    private static final int MAX_EXPONENT = 64;

    private final String text;
    private int pos;

    private ExpressionParser(String text) {
        this.text = text;
    }

    /** Longer expressions and deeper nesting are refused: evaluating them recurses once per operator. */
    static final int MAX_LENGTH = 1000, MAX_DEPTH = 100;
    private int depth;

    public static Expression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ExpressionException(text == null ? "" : text, 0, "empty expression");
        }
        if (text.length() > MAX_LENGTH) {
            throw new ExpressionException(text.substring(0, 40) + "...", 0, "is " + text.length() + " characters long; at most "
                    + MAX_LENGTH + " are allowed");
        }
        refuseControlCharacters(text);
        ExpressionParser parser = new ExpressionParser(text);
        Expression e = parser.expr();
        parser.skipSpaces();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.pos) + "' (expected + - * ^ or the end)");
        }
        return e;
    }

    private Expression expr() {
        Expression left = term();
        while (true) {
            skipSpaces();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                left = new Expression.Binary(op, left, term());
            } else {
                return left;
            }
        }
    }

    private Expression term() {
        Expression left = unary();
        while (true) {
            skipSpaces();
            if (peek('*')) {
                pos++;
                left = new Expression.Binary('*', left, unary());
            } else {
                return left;
            }
        }
    }

    private Expression unary() {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep (parentheses or signs)");
        }
        try {
            skipSpaces();
            if (peek('-')) {
                pos++;
                return new Expression.Negate(unary());
            }
            return power();
        } finally {
            depth--;
        }
    }

    private Expression power() {
        Expression base = primary();
        skipSpaces();
        if (!peek('^')) {
            return base;
        }
        pos++;
        skipSpaces();
        int start = pos;
        if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) {
            throw error("expected a non-negative integer exponent after '^'");
        }
        long exponent = integer();
        if (exponent > MAX_EXPONENT) {
            throw new ExpressionException(text, start, "exponent " + exponent + " is larger than " + MAX_EXPONENT);
        }
        return new Expression.Power(base, (int) exponent);
    }

    private Expression primary() {
        skipSpaces();
        if (pos >= text.length()) {
            throw error("unexpected end (expected a number, a, b, c or '(')");
        }
        char c = text.charAt(pos);
        if (Character.isDigit(c)) {
            return new Expression.Constant(integer());
        }
        int variable = "abc".indexOf(c) >= 0 ? "abc".indexOf(c) : "xyz".indexOf(c);
        if (variable >= 0) {
            pos++;
            if (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                throw error("unexpected '" + text.charAt(pos) + "' after variable '" + c
                        + "' (write a*b for a product)");
            }
            return new Expression.Variable(variable);
        }
        if (c == '(') {
            int open = pos++;
            Expression inner = expr();
            skipSpaces();
            if (!peek(')')) {
                throw pos >= text.length()
                        ? new ExpressionException(text, open, "unclosed '('")
                        : error("expected ')'");
            }
            pos++;
            return inner;
        }
        throw error("unexpected '" + c + "' (expected a number, a, b, c or '(')");
    }

    private long integer() {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos - start > 9) {
            throw new ExpressionException(text, start, "number " + text.substring(start, pos) + " is too large (at most 9 digits)");
        }
        if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            throw error("unexpected '" + text.charAt(pos) + "' after a number (write 2*a for a product)");
        }
        return Long.parseLong(text.substring(start, pos));
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    /**
     * Refuses a name or expression holding whitespace other than spaces, or control characters: a
     * newline or tab would vanish from the run's name (and trimming would hide it at either end) and
     * split error lines. One line, plain spaces.
     */
    static void refuseControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && (Printable.needsEscape(c) || Character.isWhitespace(c))) {
                throw new ExpressionException(text, i, "the character " + Printable.escape(c) + " is not allowed;"
                        + " write the expression on one line with plain spaces");
            }
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private ExpressionException error(String problem) {
        return new ExpressionException(text, pos, problem);
    }
}
