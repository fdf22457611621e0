package polygrok.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The config's "format": a style ("short" or "long"), which each operation spells its own way, or a
 * token template such as "a * b =" (Grokfast's [x, op, y, =]) or "a b" (operands only), which every
 * operation of the run is spelled with. Exactly one of the two is set.
 *
 * @param style    SHORT or LONG, or null for a template
 * @param template the tokens of every operation's input, or null for a style
 */
public record InputFormat(TokenStyle style, TokenFormat template) {
    /** What a config's format may be, for error messages. */
    public static final String ALLOWED = "short, long, or a token template such as \"a * b =\" or \"a b\""
            + " (operands a b c and symbols " + String.join(" ", Vocabulary.SYMBOLS.split("")) + ", separated by spaces)";

    public InputFormat {
        if ((style == null) == (template == null)) {
            throw new IllegalArgumentException("input format: give a style or a template, not " + (style == null ? "neither" : "both"));
        }
    }

    public static InputFormat of(TokenStyle style) {
        return new InputFormat(style, null);
    }

    /**
     * "short" or "long" (any case, as the data command has always taken them), otherwise a template.
     * A config's format is checked strictly before it gets here: see {@link #parseConfig}.
     */
    public static InputFormat parse(String text) {
        if (text != null && (text.equalsIgnoreCase("short") || text.equalsIgnoreCase("long"))) {
            return of(TokenStyle.parse(text));
        }
        return template(text);
    }

    /** A config's format: exactly "short", "long" or a template. */
    public static InputFormat parseConfig(String text) {
        return "short".equals(text) || "long".equals(text) ? of(TokenStyle.valueOf(text.toUpperCase(Locale.ROOT))) : template(text);
    }

    private static InputFormat template(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException((text == null ? "no format" : "\"" + text + "\" is not a format") + "; allowed: " + ALLOWED);
        }
        for (String token : text.trim().split("\\s+")) {
            if (token.length() != 1 || ("abc" + Vocabulary.SYMBOLS).indexOf(token.charAt(0)) < 0) {
                throw new IllegalArgumentException("\"" + text + "\" is not a format (token '" + token
                        + "' is neither an operand a b c nor a symbol); allowed: " + ALLOWED);
            }
        }
        return new InputFormat(null, TokenFormat.of(text));
    }

    public boolean isTemplate() {
        return template != null;
    }

    /**
     * The input tokens of the operation a config names. A style goes through the operation's own formats
     * (a "_short" name forces the short one); a template is used as written, once it names every operand
     * the operation takes and no other.
     */
    public TokenFormat resolve(String name, Operation op) {
        if (style != null) {
            return op.format(Operations.styleFor(name, style));
        }
        String problem = templateProblem(name, op);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return template;
    }

    /** Null if the template can spell this operation's input, otherwise why not; null for a style. */
    public String templateProblem(String name, Operation op) {
        if (template == null) {
            return null;
        }
        if (name.endsWith(Operations.SHORT_SUFFIX) && Operations.isRegistryName(name)) {
            return "the template " + this + " would spell \"" + name + "\", whose name asks for the short format; name it \""
                    + Operations.stripShort(name) + "\" to spell it with the template, or use format \"short\"";
        }
        boolean[] used = new boolean[3];
        for (int slot : template.slots()) {
            if (slot >= 0) {
                used[slot] = true;
            }
        }
        List<String> missing = new ArrayList<>(), foreign = new ArrayList<>();
        for (int k = 0; k < used.length; k++) {
            String letter = String.valueOf("abc".charAt(k));
            if (k < op.arity() && !used[k]) {
                missing.add(letter);
            } else if (k >= op.arity() && used[k]) {
                foreign.add(letter);
            }
        }
        if (missing.isEmpty() && foreign.isEmpty()) {
            return null;
        }
        return "the template " + this + " does not fit \"" + name + "\", which takes " + op.arity() + " operands ("
                + "abc".substring(0, op.arity()).replace("", " ").trim() + "): the template "
                + (missing.isEmpty() ? "" : "leaves out " + String.join(", ", missing)) + (missing.isEmpty() || foreign.isEmpty() ? "" : " and ")
                + (foreign.isEmpty() ? "" : "uses " + String.join(", ", foreign)) + "; a template uses each operand the operation takes and no other, e.g. \""
                + (op.arity() == 3 ? "a * b * c =" : "a * b =") + "\"";
    }

    /** "short", "long", or the template's tokens in quotes: "a * b =". */
    @Override
    public String toString() {
        return style != null ? style.jsonName() : "\"" + template.toString().replaceAll("[\\[\\],]", "") + "\"";
    }
}
