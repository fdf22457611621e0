package polygrok.report;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Histograms over any range of values end. A gradient filter's running average of a key bias's
 * gradient (exactly zero but for rounding) spans about 1e-10 around zero; with two fixed decimals
 * every tick label read "0.00", and XChart's tick search never ended (the report of a Grokfast-regime
 * run hung on it).
 */
class ChartsTest {
    @ParameterizedTest(name = "centre {0}, spread {1}")
    @CsvSource({"0, 8e-11", "0, 4e-5", "0, 1", "0.25, 1e-4", "0.25, 1e-12", "1e-5, 1e-10", "3e4, 1", "-7e9, 2e3", "0.5, 0", "0, 0"})
    void aHistogramOfAnyRangeIsDrawn(double centre, double spread) {
        Random rnd = new Random(3);
        double[] values = new double[128];
        for (int i = 0; i < values.length; i++) {
            values[i] = centre + spread * rnd.nextGaussian();
        }
        byte[] png = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Charts.histogram("t", values),
                "the histogram of 128 values around " + centre + " with spread " + spread + " did not finish");
        assertTrue(png.length > 0, "an empty PNG around " + centre + " with spread " + spread);
    }
}
