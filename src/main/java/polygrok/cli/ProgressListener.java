package polygrok.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import polygrok.train.MetricsLine;
import polygrok.train.Trainer;

/**
 * Shows training progress: a progress bar with losses and accuracies on a terminal, plain lines
 * (at most one every few seconds, and the last eval) when output goes to a file or a pipe.
 */
final class ProgressListener implements Trainer.Listener {
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private ProgressBar bar;
    private long lastPrinted;
    private int firstEpoch;
    private long started;
    private String lastLine;

    ProgressListener(PrintStream out, boolean terminal, String label) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
    }

    static ProgressListener forConsole(String label) {
        return new ProgressListener(System.err, System.console() != null, label);
    }

    @Override
    public void started(int firstEpoch, int epochs, int models) {
        this.firstEpoch = firstEpoch;
        this.started = System.nanoTime();
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(epochs).startsFrom(firstEpoch, java.time.Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).build();
        } else {
            out.printf(Locale.ROOT, "%s: %d model(s), epochs %d..%d%n", label, models, firstEpoch, epochs - 1);
        }
    }

    @Override
    public void evaluated(int epoch, List<Trainer.Run> runs, List<MetricsLine> lines) {
        MetricsLine first = lines.stream().filter(l -> l != null).findFirst().orElse(null);
        if (first == null) {
            return;
        }
        double perSecond = (epoch + 1 - firstEpoch) / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        String text = String.format(Locale.ROOT, "train %.3g/%.3f test %.3g/%.3f (loss/acc)%s, %.1f epochs/s",
                first.train().loss(), first.train().acc(), first.test().loss(), first.test().acc(),
                lines.size() > 1 ? " [model 1 of " + lines.size() + "]" : "", perSecond);
        if (bar != null) {
            bar.stepTo(epoch + 1);
            bar.setExtraMessage(" " + text);
        } else {
            lastLine = String.format(Locale.ROOT, "%s epoch %d: %s", label, epoch, text);
            if (System.nanoTime() - lastPrinted >= PLAIN_INTERVAL_NANOS) {
                out.println(lastLine);
                lastPrinted = System.nanoTime();
                lastLine = null;
            }
        }
    }

    @Override
    public void message(String text) {
        if (bar != null) {
            out.println();
        }
        out.println("polygrok: " + text);
    }

    @Override
    public void finished() {
        if (bar != null) {
            bar.close();
        } else if (lastLine != null) {
            out.println(lastLine);
        }
    }
}
