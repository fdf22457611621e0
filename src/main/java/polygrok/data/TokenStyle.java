package polygrok.data;

import java.util.Locale;

/**
 * How a polynomial task spells its input. SHORT puts '=' in the operator slot ([a, =, b]);
 * LONG spells the expression out ([a, *, a, +, b, *, b]) as the seed's non-"_short" tasks do.
 * add, subtract, multiply, division and their variants have one format, [a, op, b], in both.
 */
public enum TokenStyle {
    SHORT, LONG;

    public static TokenStyle parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("format \"" + s + "\", allowed: short, long");
        }
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
