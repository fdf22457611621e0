package polygrok.data;

/**
 * A polynomial expression that does not parse. The message points at the offending character
 * with its column (1-based) and a caret line under the text.
 */
public final class ExpressionException extends IllegalArgumentException {
    private final int column;

    public ExpressionException(String text, int index, String problem) {
        super("expression \"" + text + "\": " + problem + " at column " + (index + 1) + "\n  "
                + text + "\n  " + " ".repeat(Math.max(0, index)) + "^");
        this.column = index + 1;
    }

    /** 1-based column of the offending character (text length + 1 for "unexpected end"). */
    public int column() {
        return column;
    }
}
