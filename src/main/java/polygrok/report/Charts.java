package polygrok.report;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** XChart line, bar and scatter charts in the report's style, rendered to PNG bytes. */
final class Charts {
    static final int WIDTH = 620;
    static final int HEIGHT = 380;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    static {
        System.setProperty("java.awt.headless", "true"); // plots are files; never open a window
    }

    private Charts() {
    }

    /** A line chart; x values <= 0 are dropped when the x axis is logarithmic (epoch 0 has no log). */
    static XYChart lines(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        return lines(title, xTitle, yTitle, logX, logY, WIDTH, HEIGHT);
    }

    /** {@link #lines(String, String, String, boolean, boolean)} of another size. */
    static XYChart lines(String title, String xTitle, String yTitle, boolean logX, boolean logY, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setXAxisDecimalPattern("#,###.##");
        return c;
    }

    /**
     * Adds (x, y) points, skipping NaN and y values a log axis cannot show; returns false when nothing
     * was left. On a log x axis epoch 0 (initialisation) is drawn at x = 1 so it stays visible.
     */
    static boolean addLine(XYChart c, String name, double[] x, double[] y, Color color, boolean dashed) {
        return addLine(c, name, x, y, color, dashed, true);
    }

    /** {@link #addLine(XYChart, String, double[], double[], Color, boolean)}, named in the legend or not. */
    static boolean addLine(XYChart c, String name, double[] x, double[] y, Color color, boolean dashed, boolean inLegend) {
        boolean logX = c.getStyler().isXAxisLogarithmic();
        boolean logY = c.getStyler().isYAxisLogarithmic();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i]) || (logX && x[i] < 0) || (logY && y[i] <= 0)) {
                continue;
            }
            xs.add(logX ? Math.max(x[i], 1) : x[i]);
            ys.add(y[i]);
        }
        if (xs.isEmpty()) {
            return false;
        }
        XYSeries s = c.addSeries(name, xs, ys);
        s.setShowInLegend(inLegend);
        s.setMarker(xs.size() <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{6f, 4f}, 0f)
                : new BasicStroke(2f));
        return true;
    }

    /** Grouped cosine/sine bars per frequency. */
    static byte[] spectrum(String title, double[] mu, double[] nu, String basisName) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("frequency k (" + basisName + ")").yAxisTitle("coefficient norm").build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // inside, it would hide the top frequencies' bars
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setAvailableSpaceFill(0.9);
        c.getStyler().setOverlapped(false);
        c.getStyler().setXAxisLabelRotation(mu.length > 30 ? 90 : 0);
        c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, mu.length > 30 ? 8 : 11));
        List<Integer> k = new ArrayList<>();
        List<Double> cos = new ArrayList<>();
        List<Double> sin = new ArrayList<>();
        for (int i = 0; i < mu.length; i++) {
            k.add(i + 1);
            cos.add(mu[i]);
            sin.add(nu[i]);
        }
        CategorySeries a = c.addSeries("cos (\u03bc_k)", k, cos);
        a.setFillColor(Palette.COS);
        CategorySeries b = c.addSeries("sin (\u03bd_k)", k, sin);
        b.setFillColor(Palette.SIN);
        return png(c);
    }

    static byte[] histogram(String title, double[] values) {
        List<Double> data = new ArrayList<>(values.length);
        for (double v : values) {
            data.add(v);
        }
        double min = data.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = data.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max <= min) {
            max = min + 1e-12;
        }
        Histogram h = new Histogram(data, 40, min, max);
        XYChart c = new XYChartBuilder().width(300).height(200).title(title).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        c.getStyler().setXAxisDecimalPattern(tickPattern(min, max));
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        XYSeries s = c.addSeries("count", h.getxAxisData(), h.getyAxisData());
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(new Color(0x6baed6));
        s.setLineColor(new Color(0x2171b5));
        return png(c);
    }

    /**
     * A tick label pattern that tells the ticks of [min, max] apart: two decimals for ordinary values,
     * more when the range is narrow, and scientific notation with enough digits for values below 1e-3 or
     * from 1e4 up. With labels that all read alike (a range of 1e-10 printed with two decimals), XChart's
     * tick search does not end.
     */
    static String tickPattern(double min, double max) {
        double span = max - min, magnitude = Math.max(Math.abs(min), Math.abs(max));
        if (magnitude < 1e-3 || magnitude >= 1e4) {
            int digits = (int) Math.min(12, Math.max(2, Math.ceil(Math.log10(magnitude / span)) + 2));
            return "0." + "#".repeat(digits) + "E0";
        }
        int decimals = (int) Math.min(12, Math.max(2, Math.ceil(-Math.log10(span)) + 1));
        return "0." + "0".repeat(decimals);
    }

    /** Scatter of 2-D points labelled with their token number. */
    static byte[] pcaMap(String title, double[][] xy, double[] explained) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(WIDTH).title(title)
                .xAxisTitle(String.format("PC1 (%.0f%% of variance)", 100 * explained[0]))
                .yAxisTitle(String.format("PC2 (%.0f%% of variance)", 100 * explained[1])).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        c.getStyler().setAnnotationTextFontColor(new Color(0x444444));
        double[] x = new double[xy.length];
        double[] y = new double[xy.length];
        for (int t = 0; t < xy.length; t++) {
            x[t] = xy[t][0];
            y[t] = xy[t][1];
        }
        XYSeries s = c.addSeries("tokens", x, y);
        s.setMarkerColor(Palette.TRAIN);
        // labels sit just above-right of their point so the marker stays visible
        double spanX = span(x);
        double spanY = span(y);
        for (int t = 0; t < xy.length; t++) {
            c.addAnnotation(new AnnotationText(String.valueOf(t), x[t] + 0.025 * spanX, y[t] + 0.025 * spanY, false));
        }
        return png(c);
    }

    private static double span(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi > lo ? hi - lo : 1;
    }

    static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(Palette.GRID);
        s.setChartTitleFont(TITLE);
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(TEXT);
        s.setAxisTickLabelsFont(TEXT);
        s.setLegendFont(TEXT);
        s.setLegendBorderColor(new Color(0xdddddd));
        s.setSeriesColors(Palette.SERIES);
        s.setAntiAlias(true);
    }

    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle() + "' as PNG", e);
        }
    }
}
