package polygrok.backend;

/**
 * Sizes of one attention call, as {@link OpShapes} reads them from the tensors after checking them;
 * tq = 1 when only the last position is a query.
 */
public record AttentionDims(int models, int batch, int t, int d, int heads, int dh, boolean lastOnly) {
    /** Query positions: T, or 1 when only the last position is a query. */
    public int tq() {
        return lastOnly ? 1 : t;
    }

    /** H * Dh, the width of z and of W_O's input. */
    public int hd() {
        return heads * dh;
    }
}
