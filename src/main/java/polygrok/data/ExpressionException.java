package polygrok.data;

import polygrok.config.Printable;

/**
 * A polynomial expression that does not parse. The message points at the offending character
 * with its column (1-based) and a caret line under the text.
 */
public final class ExpressionException extends IllegalArgumentException {
    private final int column;

    public ExpressionException(String text, int index, String problem) {
        super("expression " + Printable.quote(text) + ": " + problem + " at column " + (index + 1) + "\n  "
                + Printable.escape(text) + "\n  " + " ".repeat(Math.max(0, shownColumn(text, index))) + "^");
        this.column = index + 1;
    }

    /** Where character {@code index} of {@code text} stands once control characters are escaped. */
    private static int shownColumn(String text, int index) {
        int shown = 0;
        for (int i = 0; i < Math.min(index, text.length()); i++) {
            shown += Printable.escape(text.charAt(i)).length();
        }
        return shown + Math.max(0, index - text.length());
    }

    /** 1-based column of the offending character (text length + 1 for "unexpected end"). */
    public int column() {
        return column;
    }
}
