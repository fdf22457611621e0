package polygrok.report;

import java.awt.Color;

/** The report's colours: one meaning per colour across every plot (train blue, test orange, ...). */
final class Palette {
    static final Color TRAIN = new Color(0x1f77b4);
    static final Color TEST = new Color(0xe6550d);
    static final Color FFD = new Color(0x2ca02c);
    static final Color FCR = new Color(0x9467bd);
    static final Color COS = new Color(0x3182bd);
    static final Color SIN = new Color(0xe6550d);
    static final Color GRID = new Color(0xe5e5e5);
    static final Color[] SERIES = {
            new Color(0x1f77b4), new Color(0xe6550d), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Palette() {
    }

    /** Diverging blue-white-red for signed weights; v in [-1, 1]. */
    static int diverging(double v) {
        double t = Math.max(-1, Math.min(1, v));
        int r;
        int g;
        int b;
        if (t < 0) { // white -> blue
            double s = -t;
            r = (int) Math.round(255 + s * (33 - 255));
            g = (int) Math.round(255 + s * (102 - 255));
            b = (int) Math.round(255 + s * (172 - 255));
        } else { // white -> red
            r = (int) Math.round(255 + t * (178 - 255));
            g = (int) Math.round(255 + t * (24 - 255));
            b = (int) Math.round(255 + t * (43 - 255));
        }
        return (r << 16) | (g << 8) | b;
    }
}
