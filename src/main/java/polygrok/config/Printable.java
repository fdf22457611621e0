package polygrok.config;

/**
 * User text as it can be shown inside a one-line message: control characters (a newline in a run
 * name, a tab in an expression) are written as escapes, so an error stays one line and shows what
 * was actually typed.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code s} with every control or line-breaking character escaped (\n, \t, \r, else \\uXXXX). */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.append(escape(s.charAt(i)));
        }
        return out.toString();
    }

    /** One character as {@link #escape(String)} writes it. */
    public static String escape(char c) {
        if (!needsEscape(c)) {
            return String.valueOf(c);
        }
        return switch (c) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> String.format("\\u%04X", (int) c);
        };
    }

    /** True for the characters that would break or hide part of a message line. */
    public static boolean needsEscape(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    /** {@code s} escaped and in double quotes, for quoting a user's value in a message. */
    public static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }
}
