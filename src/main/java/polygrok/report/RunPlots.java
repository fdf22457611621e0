package polygrok.report;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import polygrok.analysis.Checkpoint;
import polygrok.analysis.CheckpointFiles;
import polygrok.analysis.CheckpointMeasures;
import polygrok.analysis.NamedTensor;
import polygrok.analysis.RunAnalysis;
import polygrok.io.AtomicFiles;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Draws every figure of one run, and writes them under RUN/plots/. */
public final class RunPlots {
    /** Operations whose circuits live in the multiplicative group: their discrete-log spectrum is drawn too. */
    private static final Set<String> MULTIPLICATIVE = Set.of("multiply", "division", "multiply_non_zero", "multiply_z");

    private RunPlots() {
    }

    public static RunFigures draw(RunData run) {
        List<Figure> curves = new ArrayList<>();
        curves.add(accuracy(run));
        curves.add(losses(run));
        Figure progress = progress(run);
        if (progress != null) {
            curves.add(progress);
        }
        if (run.tasks().size() > 1) {
            curves.add(perTask(run));
        }
        List<Figure> spectra = spectra(run);
        List<Figure> embedding = new ArrayList<>();
        RunAnalysis a = run.analysis();
        if (a != null && a.pca() != null) {
            embedding.add(new Figure("pca.png", "Number-token embeddings, PCA",
                    "Columns 0..p-1 of W_E at " + a.pca().label() + " (epoch " + a.pca().epoch()
                            + ") projected onto their two principal axes; labels are the token numbers. "
                            + "A grokked additive model often lays tokens on circles ordered by a key frequency.",
                    Charts.pcaMap("W_E number tokens, PCA (" + a.pca().label() + ")", a.pca().coordinates(), a.pca().explainedVariance())));
        }
        List<Figure> heatmaps = new ArrayList<>();
        List<Figure> histograms = new ArrayList<>();
        List<Path> files = CheckpointFiles.list(run.dir());
        if (!files.isEmpty()) {
            Checkpoint last = CheckpointFiles.read(files.get(files.size() - 1));
            for (Map.Entry<String, NamedTensor> e : new TreeMap<>(last.parameters()).entrySet()) {
                NamedTensor t = e.getValue();
                if (t.shape().length < 2) {
                    continue;
                }
                String slug = e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_");
                String shape = java.util.Arrays.toString(t.shape());
                heatmaps.add(new Figure("heatmap_" + slug + ".png", e.getKey(),
                        e.getKey() + " " + shape + (t.shape().length > 2 ? " (leading axes folded into rows)" : "")
                                + " at " + last.label() + ".",
                        Heatmaps.render(e.getKey(), t.asMatrix())));
                histograms.add(new Figure("hist_" + slug + ".png", e.getKey(), e.getKey() + " " + shape,
                        Charts.histogram(e.getKey(), t.values())));
            }
        }
        return new RunFigures(curves, spectra, embedding, heatmaps, histograms);
    }

    /** Draws and writes every figure as RUN/plots/NAME.png; returns the figures. */
    public static RunFigures drawAndWrite(RunData run) {
        RunFigures figures = draw(run);
        Path dir = run.dir().resolve("plots");
        try {
            Files.createDirectories(dir);
            for (Figure f : figures.all()) {
                AtomicFiles.write(dir.resolve(f.fileName()), f.png());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plots under " + dir + ": " + polygrok.io.IoReasons.describe(e, dir), e);
        }
        return figures;
    }

    private static Figure accuracy(RunData run) {
        XYChart c = Charts.lines("Accuracy", "epoch (log scale; 0 drawn at 1)", "accuracy", true, false);
        double[] epoch = run.series("epoch");
        Charts.addLine(c, "train", epoch, run.series("train_acc"), Palette.TRAIN, false);
        Charts.addLine(c, "test", epoch, run.series("test_acc"), Palette.TEST, false);
        // softmax collapse is a fraction of the train examples too: beside test accuracy it shows
        // a float32 run that stopped learning (older runs did not log it)
        double[] collapse = run.series("softmax_collapse");
        boolean hasCollapse = java.util.Arrays.stream(collapse).anyMatch(Double::isFinite);
        if (hasCollapse) {
            Charts.addLine(c, "softmax collapse (train)", epoch, collapse, Palette.FCR, false);
        }
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Integer grok = run.epochsToAccuracy(0.99);
        if (grok != null && grok > 0) {
            AnnotationLine line = new AnnotationLine(grok, true, false);
            c.getStyler().setAnnotationLineColor(new Color(0x999999));
            c.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(1.5f));
            c.addAnnotation(line);
        }
        return new Figure("accuracy.png", "Accuracy",
                "Train and test accuracy per evaluation (epoch on a log scale)"
                        + (hasCollapse ? ", and the fraction of train examples whose float32 softmax collapsed to one-hot. " : ". ")
                        + (grok == null ? "Test accuracy never reached 99%." : "The grey line marks the first epoch with test accuracy \u2265 99% (" + grok + ")."),
                Charts.png(c));
    }

    private static Figure losses(RunData run) {
        XYChart c = Charts.lines("Loss", "epoch (log scale; 0 drawn at 1)", "cross-entropy (log scale)", true, true);
        double[] epoch = run.series("epoch");
        Charts.addLine(c, "train", epoch, run.series("train_loss"), Palette.TRAIN, false);
        Charts.addLine(c, "test", epoch, run.series("test_loss"), Palette.TEST, false);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        return new Figure("loss.png", "Loss", "Mean cross-entropy on the train and test pairs, both axes logarithmic.", Charts.png(c));
    }

    /** FFD/FCR from metrics.jsonl when training logged them (denser), else from analysis.json's checkpoints. */
    private static Figure progress(RunData run) {
        double[] epoch;
        double[] ffd;
        double[] fcr;
        double[] ffdWl;
        double[] fcrWl;
        String source;
        double[] loggedFfd = run.series("ffd");
        if (countFinite(loggedFfd) >= 2) {
            epoch = run.series("epoch");
            ffd = loggedFfd;
            fcr = run.series("fcr");
            ffdWl = run.series("ffd_wl");
            fcrWl = run.series("fcr_wl");
            source = "logged during training";
        } else if (run.analysis() != null && !run.analysis().checkpoints().isEmpty()) {
            List<CheckpointMeasures> cs = run.analysis().checkpoints();
            epoch = new double[cs.size()];
            ffd = new double[cs.size()];
            fcr = new double[cs.size()];
            ffdWl = new double[cs.size()];
            fcrWl = new double[cs.size()];
            for (int i = 0; i < cs.size(); i++) {
                epoch[i] = cs.get(i).epoch();
                ffd[i] = cs.get(i).ffd();
                fcr[i] = cs.get(i).fcr();
                ffdWl[i] = cs.get(i).ffdWl();
                fcrWl[i] = cs.get(i).fcrWl();
            }
            source = "computed from the checkpoints";
        } else {
            return null;
        }
        XYChart c = Charts.lines("Fourier progress measures", "epoch (log scale; 0 drawn at 1)", "FFD, FCR, test accuracy", true, false);
        Charts.addLine(c, "test acc", run.series("epoch"), run.series("test_acc"), new Color(0xbbbbbb), false);
        Charts.addLine(c, "FFD (W_E)", epoch, ffd, Palette.FFD, false);
        Charts.addLine(c, "FCR (W_E)", epoch, fcr, Palette.FCR, false);
        Charts.addLine(c, "FFD (W_L)", epoch, ffdWl, Palette.FFD, true);
        Charts.addLine(c, "FCR (W_L)", epoch, fcrWl, Palette.FCR, true);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        double eta = run.analysis() == null ? 0.5 : run.analysis().eta();
        return new Figure("progress.png", "Fourier progress measures",
                "FFD(\u03b7=" + eta + ") and FCR of the number-token embedding W_E (solid) and of W_L = W_U\u1d40W_out (dashed), "
                        + source + ", beside test accuracy (grey). Few key frequencies \u2192 low FFD; a cosine/sine imbalance \u2192 low FCR.",
                Charts.png(c));
    }

    private static int countFinite(double[] v) {
        int n = 0;
        for (double x : v) {
            n += Double.isNaN(x) ? 0 : 1;
        }
        return n;
    }

    private static Figure perTask(RunData run) {
        XYChart c = Charts.lines("Test accuracy per task", "epoch (log scale; 0 drawn at 1)", "test accuracy", true, false);
        double[] epoch = run.series("epoch");
        List<String> tasks = run.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            Color color = Palette.SERIES[i % Palette.SERIES.length];
            Charts.addLine(c, tasks.get(i), epoch, run.taskSeries(tasks.get(i), "test_acc"), color, false);
            Charts.addLine(c, tasks.get(i) + " (train)", epoch, run.taskSeries(tasks.get(i), "train_acc"), color, true);
        }
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return new Figure("tasks.png", "Per-task accuracy", "Each task of the mixture: test accuracy (solid) and train accuracy (dashed).",
                Charts.png(c));
    }

    /** W_E spectra at init, at grokking (first checkpoint at or after 99% test accuracy) and at the end. */
    private static List<Figure> spectra(RunData run) {
        List<Figure> out = new ArrayList<>();
        RunAnalysis a = run.analysis();
        if (a == null || a.checkpoints().isEmpty()) {
            return out;
        }
        List<CheckpointMeasures> cs = a.checkpoints();
        CheckpointMeasures init = cs.get(0);
        CheckpointMeasures end = cs.get(cs.size() - 1);
        Integer grokEpoch = run.epochsToAccuracy(0.99);
        CheckpointMeasures grok = null;
        if (grokEpoch != null) {
            for (CheckpointMeasures c : cs) {
                if (c.epoch() >= grokEpoch) {
                    grok = c;
                    break;
                }
            }
        }
        out.add(spectrum("spectrum_init.png", "W_E spectrum at init", init));
        if (grok != null && grok != end && grok != init) {
            out.add(spectrum("spectrum_grok.png", "W_E spectrum at grokking", grok));
        }
        out.add(spectrum("spectrum_end.png", "W_E spectrum at the end", end));
        boolean multiplicative = run.ops().stream().anyMatch(MULTIPLICATIVE::contains);
        if (multiplicative && end.muDlog() != null) {
            out.add(new Figure("spectrum_dlog_end.png", "W_E discrete-log spectrum at the end",
                    "Tokens 1..p-1 reordered by their discrete log to the primitive root g = " + a.primitiveRoot()
                            + ", then the Fourier basis over Z_(p-1): multiplication's circuits are sparse here. FFD "
                            + fmt(end.ffdDlog()) + ", FCR " + fmt(end.fcrDlog()) + ", Gini " + fmt(end.giniDlog()) + ".",
                    Charts.spectrum("W_E, multiplicative characters (epoch " + end.epoch() + ")", end.muDlog(), end.nuDlog(),
                            "discrete log, g = " + a.primitiveRoot())));
        }
        return out;
    }

    private static Figure spectrum(String file, String title, CheckpointMeasures c) {
        String caption = "Checkpoint " + c.label() + " (epoch " + c.epoch() + "): FFD " + fmt(c.ffd()) + ", FCR " + fmt(c.fcr())
                + ", Gini " + fmt(c.gini()) + "; key frequencies " + keyList(c.keyFrequencies()) + ".";
        return new Figure(file, title, caption, Charts.spectrum(title + " (epoch " + c.epoch() + ")", c.mu(), c.nu(), "Z_p"));
    }

    static String keyList(int[] keys) {
        if (keys.length > 12) {
            return keys.length + " of them (no sparse set)";
        }
        return java.util.Arrays.toString(keys);
    }

    static String fmt(Double v) {
        return v == null || v.isNaN() ? "\u2013" : String.format("%.3f", v);
    }
}
