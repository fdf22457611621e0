package polygrok.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * Readable, stable pieces of sweep point names: "add", "add,multiply", "f0.3", "lr1e-3",
 * "wd1", "init-pt_add". A name depends only on the axis values, never on their position in the
 * grid, so adding a value to an axis does not rename existing runs (resume keeps working).
 */
final class SweepNames {
    private SweepNames() {
    }

    /** An op list as a name piece; a mixture joins its ops with ','. Expressions drop what a directory name cannot hold. */
    static String ops(List<String> ops) {
        StringBuilder sb = new StringBuilder();
        for (String op : ops) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(op.replace(" ", "").replace("*", "").replace("^", "").replace('(', '_').replace(')', '_')
                    .replace("/", "div"));
        }
        return safe(sb.toString());
    }

    /**
     * A number as short as it reads: 0.3 -> "0.3", 1.0 -> "1", 0.001 -> "1e-3", 0.00025 -> "2.5e-4".
     * Small and large magnitudes use an exponent, as researchers write learning rates.
     */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-2 && a < 1e4) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** The file name of a checkpoint without directories and without its .safetensors extension. */
    static String checkpointStem(String path) {
        String s = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        if (s.endsWith(".safetensors")) {
            s = s.substring(0, s.length() - ".safetensors".length());
        }
        return safe(s);
    }

    /** Replaces characters a run name may not hold with '_' and makes sure it starts with a letter or digit. */
    static String safe(String s) {
        String cleaned = s.replaceAll("[^A-Za-z0-9_.+,=-]", "_");
        return cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0)) ? "op" + cleaned : cleaned;
    }
}
