package polygrok.data;

/**
 * Token ids, as the seed repository lays them out: numbers 0..p-1, then '=' p, '+' p+1,
 * '-' p+2, '*' p+3, '/' p+4, then n_mask mask tokens, then one task token per operation when
 * a mixture asks for them.
 *
 * @param p          the modulus; number tokens are 0..p-1
 * @param nMask      extra mask tokens appended after the five symbols
 * @param taskTokens extra task tokens appended after the mask tokens (0 when off)
 */
public record Vocabulary(int p, int nMask, int taskTokens) {
    /** The five symbol tokens, in vocabulary order after the numbers. */
    public static final String SYMBOLS = "=+-*/";

    public Vocabulary {
        if (p < 2) {
            throw new IllegalArgumentException("vocabulary: p = " + p + ", must be at least 2");
        }
        if (nMask < 0) {
            throw new IllegalArgumentException("vocabulary: n_mask = " + nMask + ", must be >= 0");
        }
        if (taskTokens < 0) {
            throw new IllegalArgumentException("vocabulary: task tokens = " + taskTokens + ", must be >= 0");
        }
    }

    /** Token id of one of the symbols "=+-*&#47;". */
    public int symbol(char c) {
        int i = SYMBOLS.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("vocabulary: no symbol token '" + c + "', known: " + SYMBOLS);
        }
        return p + i;
    }

    public int equalsToken() {
        return p;
    }

    public int mask(int i) {
        if (i < 0 || i >= nMask) {
            throw new IllegalArgumentException("vocabulary: mask token " + i + " of " + nMask);
        }
        return p + SYMBOLS.length() + i;
    }

    public int task(int i) {
        if (i < 0 || i >= taskTokens) {
            throw new IllegalArgumentException("vocabulary: task token " + i + " of " + taskTokens);
        }
        return p + SYMBOLS.length() + nMask + i;
    }

    /** V: the number of distinct input tokens (and, except for only_add, output classes). */
    public int size() {
        return p + SYMBOLS.length() + nMask + taskTokens;
    }
}
