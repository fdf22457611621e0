package polygrok.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders a report of synthetic runs in headless Chromium and checks the screenshot is not blank.
 * The screenshot is kept as target/report-screenshot.png for a person to look at.
 */
class BrowserRenderTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " on this machine: the browser render check needs Debian's chromium");
        Path sweep = tmp.resolve("sweep");
        SyntheticRuns.write(sweep);
        Path html = tmp.resolve("report.html");
        ReportBuilder.write("synthetic sweep", List.of(sweep), html, null);
        Path png = tmp.resolve("screenshot.png");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile"), "--screenshot=" + png, "--window-size=1280,2000",
                html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish within 90 s; log: " + tail(tmp.resolve("chromium.log")));
        assertEquals(0, p.exitValue(), "chromium exit status; log: " + tail(tmp.resolve("chromium.log")));
        assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot; log: " + tail(tmp.resolve("chromium.log")));
        Path keep = Path.of("target", "report-screenshot.png");
        Files.createDirectories(keep.getParent());
        Files.copy(png, keep, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(html, Path.of("target", "report-synthetic.html"), StandardCopyOption.REPLACE_EXISTING);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth(), "screenshot width");
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                double lum = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
                sum += lum;
                sumSq += lum * lum;
                n++;
            }
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        // a blank page has variance 0; the dark header, tables and plots give thousands
        assertTrue(variance > 500, "screenshot looks blank: luminance variance " + variance + " (mean " + mean + ")");
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
