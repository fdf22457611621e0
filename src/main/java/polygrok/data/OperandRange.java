package polygrok.data;

import java.util.Locale;

/**
 * Which operand values are drawn. P (the default): 0..p-1. P_PLUS_5: 0..p+4, as the seed
 * repository did by passing d_vocab = p + 5 to its split, which puts the five symbol tokens in
 * operand positions too; offered only to reproduce the seed's exact splits.
 */
public enum OperandRange {
    P("p"), P_PLUS_5("p+5");

    private final String jsonName;

    OperandRange(String jsonName) {
        this.jsonName = jsonName;
    }

    public int size(int p) {
        return this == P ? p : p + 5;
    }

    public String jsonName() {
        return jsonName;
    }

    public static OperandRange parse(String s) {
        String t = s == null ? "" : s.replace(" ", "").toLowerCase(Locale.ROOT);
        for (OperandRange r : values()) {
            if (r.jsonName.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("operand range \"" + s + "\", allowed: p, p+5");
    }
}
