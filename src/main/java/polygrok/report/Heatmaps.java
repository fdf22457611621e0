package polygrok.report;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A weight matrix as a picture: one block of pixels per entry on a blue-white-red scale symmetric
 * about 0 (so sign reads at a glance), with a colour bar. Drawn with Java2D rather than a chart
 * library: a 128 x 512 matrix is 65k cells, which a per-cell chart renderer draws slowly.
 */
final class Heatmaps {
    private static final int MAX_SIDE = 560;
    private static final int MARGIN_TOP = 28;
    private static final int MARGIN = 10;
    private static final int BAR = 70;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Heatmaps() {
    }

    /** @param m [rows][cols]; labelled "rows x cols" */
    static byte[] render(String title, double[][] m) {
        int rows = m.length;
        int cols = m[0].length;
        // integer cell sizes where the matrix is small, sub-sampling where it is large
        double scale = Math.min((double) MAX_SIDE / cols, (double) MAX_SIDE / rows);
        scale = scale >= 1 ? Math.floor(Math.min(scale, 12)) : scale;
        int w = Math.max(1, (int) Math.round(cols * scale));
        int h = Math.max(1, (int) Math.round(rows * scale));
        double absMax = 0;
        for (double[] r : m) {
            for (double v : r) {
                absMax = Math.max(absMax, Math.abs(v));
            }
        }
        double range = absMax == 0 ? 1 : absMax;
        BufferedImage img = new BufferedImage(w + 2 * MARGIN + BAR, h + MARGIN_TOP + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int y = 0; y < h; y++) {
            int r = Math.min(rows - 1, (int) (y / scale));
            for (int x = 0; x < w; x++) {
                int c = Math.min(cols - 1, (int) (x / scale));
                img.setRGB(MARGIN + x, MARGIN_TOP + y, Palette.diverging(m[r][c] / range));
            }
        }
        g.setColor(new Color(0x333333));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(title + "  [" + rows + " \u00d7 " + cols + "]", MARGIN, 18);
        // colour bar
        int bx = MARGIN * 2 + w;
        int barH = Math.max(40, Math.min(h, 200));
        for (int y = 0; y < barH; y++) {
            double v = 1 - 2.0 * y / (barH - 1);
            g.setColor(new Color(Palette.diverging(v)));
            g.drawLine(bx, MARGIN_TOP + y, bx + 12, MARGIN_TOP + y);
        }
        g.setColor(new Color(0x333333));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString(String.format("%+.3g", range), bx + 15, MARGIN_TOP + 9);
        g.drawString("0", bx + 15, MARGIN_TOP + barH / 2 + 4);
        g.drawString(String.format("%+.3g", -range), bx + 15, MARGIN_TOP + barH);
        g.dispose();
        return encode(img, title);
    }

    static byte[] encode(BufferedImage img, String what) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + what + " as PNG", e);
        }
    }
}
