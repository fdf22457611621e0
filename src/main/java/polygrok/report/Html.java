package polygrok.report;

import java.util.Base64;

/** Small helpers for writing HTML by hand: escaping and inline images. */
final class Html {
    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A PNG as a data URI, so the report is one file that opens offline. */
    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** An anchor id from a run label. */
    static String anchor(String label) {
        return "run-" + label.replaceAll("[^A-Za-z0-9_-]", "-");
    }
}
