package polygrok.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.analysis.SyntheticRun;

/**
 * `report --watch` on a run that is still training: the page reloads itself while the run trains, a
 * rewrite shows more epochs, and the watch ends with a plain page once the run has ended (no browser
 * needed); rendered twice in headless Chromium, the second render shows more epochs (skipped, before
 * anything is checked, where there is no Chromium).
 */
class LiveReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void aWatchedReportFollowsATrainingRunAndEndsWithIt(@TempDir Path tmp) throws Exception {
        Path run = SyntheticRun.write(tmp.resolve("runs/add_s0"), "add_s0", List.of("add"), 0, 900);
        Path summary = run.resolve("summary.json");
        String summaryText = Files.readString(summary);
        Files.delete(summary); // still training
        List<String> all = Files.readAllLines(run.resolve("metrics.jsonl"));
        Files.write(run.resolve("metrics.jsonl"), all.subList(0, all.size() / 2));
        Path html = tmp.resolve("live.html");
        AtomicInteger logged = new AtomicInteger();
        Thread watcher = new Thread(() -> LiveReport.watch("live", List.of(tmp.resolve("runs")), html, null, 1, () -> false,
                line -> logged.incrementAndGet()));
        watcher.start();
        waitFor(() -> logged.get() >= 1, "the first write");
        String first = Files.readString(html);
        assertTrue(first.contains("http-equiv=\"refresh\" content=\"1\""), "the page reloads itself while a run trains");
        int before = epochShown(first);

        Files.write(run.resolve("metrics.jsonl"), all); // the run trains on
        int writes = logged.get();
        waitFor(() -> logged.get() >= writes + 2, "a rewrite after more epochs");
        int after = epochShown(Files.readString(html));
        assertTrue(after > before, "the rewrite shows more epochs: " + before + " then " + after);

        Files.writeString(summary, summaryText); // the run has ended
        watcher.join(10_000);
        assertFalse(watcher.isAlive(), "the watch ends once every run has ended");
        assertFalse(Files.readString(html).contains("http-equiv=\"refresh\""), "the last page does not reload");
    }

    @Test
    void twoRendersInChromiumShowTheRunAdvancing(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " on this machine: the browser render check needs Debian's chromium");
        Path run = SyntheticRun.write(tmp.resolve("runs/add_s0"), "add_s0", List.of("add"), 0, 900);
        Files.delete(run.resolve("summary.json"));
        List<String> all = Files.readAllLines(run.resolve("metrics.jsonl"));
        Path html = tmp.resolve("live.html");
        Files.write(run.resolve("metrics.jsonl"), all.subList(0, all.size() / 3));
        writeOnce(tmp.resolve("runs"), html);
        String first = render(tmp, html, "1");
        Files.write(run.resolve("metrics.jsonl"), all.subList(0, 2 * all.size() / 3));
        writeOnce(tmp.resolve("runs"), html);
        String second = render(tmp, html, "2");
        int e1 = epochInDom(first), e2 = epochInDom(second);
        assertTrue(e1 >= 0 && e2 > e1, "the second render shows more epochs: " + e1 + " then " + e2);
    }

    /** One live write of the watch (the thread is interrupted in its first sleep). */
    static void writeOnce(Path runs, Path html) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        Thread t = new Thread(() -> LiveReport.watch("live", List.of(runs), html, null, 60, () -> false, line -> n.incrementAndGet()));
        t.start();
        waitFor(() -> n.get() >= 1, "one write");
        t.interrupt();
        t.join(10_000);
    }

    /** The latest epoch the banner states (the final page has no banner: the last epoch of the metrics then). */
    static int epochShown(String html) {
        var m = java.util.regex.Pattern.compile("latest eval epoch (\\d+)").matcher(html);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static int epochInDom(String dom) {
        var m = java.util.regex.Pattern.compile("latest eval epoch (\\d+)").matcher(dom);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return -1;
    }

    /** The page as Chromium lays it out (--dump-dom). */
    static String render(Path tmp, Path html, String tag) throws Exception {
        Path out = tmp.resolve("dom-" + tag + ".html");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile-" + tag), "--dump-dom", html.toUri().toString())
                .redirectError(tmp.resolve("chromium-" + tag + ".log").toFile()).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish within 90 s");
        assertEquals(0, p.exitValue(), "chromium exit status");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
