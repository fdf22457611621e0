package polygrok.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The input tokens of one example, as a template over the operands: "a * a + b" means
 * [a, '*', a, '+', b]. This is the seed's equation without its trailing '=' and answer (the
 * seed feeds {@code data[:, :-2]}), so its length is n_ctx.
 *
 * @param slots each slot is an operand index (0, 1, 2 for a, b, c) or, when negative, the symbol
 *              {@code Vocabulary.SYMBOLS.charAt(-slot - 1)}
 */
public record TokenFormat(List<Integer> slots) {
    public TokenFormat {
        slots = List.copyOf(slots);
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("token format: empty");
        }
    }

    /** Parses a space-separated template such as "a = b = c" or "a * a + b * b". */
    public static TokenFormat of(String template) {
        List<Integer> slots = new ArrayList<>();
        for (String t : template.trim().split("\\s+")) {
            if (t.length() != 1) {
                throw new IllegalArgumentException("token format \"" + template + "\": token '" + t
                        + "', allowed a b c = + - * /");
            }
            char c = t.charAt(0);
            if ("abc".indexOf(c) >= 0) {
                slots.add("abc".indexOf(c));
            } else if (Vocabulary.SYMBOLS.indexOf(c) >= 0) {
                slots.add(-Vocabulary.SYMBOLS.indexOf(c) - 1);
            } else {
                throw new IllegalArgumentException("token format \"" + template + "\": token '" + t
                        + "', allowed a b c = + - * /");
            }
        }
        return new TokenFormat(slots);
    }

    /** The short format of an n-operand task: operands separated by '='. */
    public static TokenFormat shortFormat(int arity) {
        return of(arity == 3 ? "a = b = c" : "a = b");
    }

    public int length() {
        return slots.size();
    }

    /** Highest operand index used plus one. */
    public int operandsUsed() {
        return slots.stream().mapToInt(s -> s + 1).max().orElse(0);
    }

    /** Writes the tokens for these operands into out[offset .. offset + length()). */
    public void encode(int[] operands, Vocabulary vocab, int[] out, int offset) {
        int firstSymbol = vocab.equalsToken(); // symbols follow the numbers in SYMBOLS order
        for (int i = 0; i < slots.size(); i++) {
            int s = slots.get(i);
            out[offset + i] = s >= 0 ? operands[s] : firstSymbol - s - 1;
        }
    }

    /** "[a, *, a, +, b]". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < slots.size(); i++) {
            int s = slots.get(i);
            sb.append(i == 0 ? "" : ", ").append(s >= 0 ? "abc".charAt(s) : Vocabulary.SYMBOLS.charAt(-s - 1));
        }
        return sb.append(']').toString();
    }
}
