package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochFlopsTest {

    /*
     * Small case by hand: nCtx 2, d_model 4, 2 heads of width 2 (H*dh = 4), d_mlp 8, vocab 5.
     * Full block, per example:
     *   Q        2 * 2 positions * 4 * 4           =  64
     *   K, V     2 * 2 * 2 positions * 4 * 4       = 128
     *   scores   2 * 2 heads * 3 causal pairs * 2  =  24
     *   mix      the same                          =  24
     *   W_O      2 * 2 positions * 4 * 4           =  64
     *   MLP      2 * 2 * 2 positions * 4 * 8       = 256   -> block 560
     *   unembed  2 * 4 * 5                         =  40   -> forward 600
     * Last-position-only block:
     *   Q 32, K/V 128, scores 2*2*2*2 = 16, mix 16, W_O 32, MLP 128 -> block 352, forward 392.
     */
    private static EpochFlops small(int layers, boolean lastOnly) {
        return new EpochFlops(2, 1, 2, 4, 2, 2, 8, layers, 5, lastOnly);
    }

    @Test
    void smallFullModelMatchesHandCount() {
        EpochFlops f = small(1, false);
        assertEquals(600, f.forwardPerExample(), "forward FLOPs per example, full model");
        assertEquals(3 * 2 * 600, f.trainFlops(), "train FLOPs: 2 examples, forward + 2x backward");
        assertEquals(600, f.testFlops(), "test FLOPs: 1 example, forward");
        assertEquals(4200, f.total(), "epoch FLOPs");
    }

    @Test
    void smallLastOnlyMatchesHandCount() {
        EpochFlops f = small(1, true);
        assertEquals(392, f.forwardPerExample(), "forward FLOPs per example, last block last position only");
        assertEquals(7 * 392, f.total(), "epoch FLOPs, last-only");
    }

    @Test
    void onlyTheFinalBlockIsReduced() {
        assertEquals(2 * 560 + 40, small(2, false).forwardPerExample(), "two full blocks + unembed");
        assertEquals(560 + 352 + 40, small(2, true).forwardPerExample(), "full block, reduced block, unembed");
    }

    @Test
    void paperConfigurationIsAboutEighteenGflop() {
        // p 97 (V 102), fraction 0.3: 2822 train, 6587 test; d 128, 4 heads of 32, d_mlp 512, 1 layer.
        // Full: 98304 + 196608 + 1536 + 1536 + 98304 + 786432 + 26112 = 1208832 per example,
        // times 3 * 2822 + 6587 = 15053 example-passes.
        EpochFlops full = new EpochFlops(2822, 6587, 3, 128, 4, 32, 512, 1, 102, false);
        assertEquals(1_208_832L, full.forwardPerExample(), "paper forward per example, full");
        assertEquals(1_208_832L * 15_053L, full.total(), "paper epoch, full");
        // Last-only: 32768 + 196608 + 768 + 768 + 32768 + 262144 + 26112 = 551936 per example.
        EpochFlops last = new EpochFlops(2822, 6587, 3, 128, 4, 32, 512, 1, 102, true);
        assertEquals(551_936L, last.forwardPerExample(), "paper forward per example, last-only");
        assertTrue(Math.abs(last.gflop() - 8.308) < 0.001, "paper epoch last-only GFLOP: " + last.gflop());
    }

    @Test
    void rejectsNonPositiveSizesNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EpochFlops(2, 1, 2, 0, 2, 2, 8, 1, 5, false));
        assertTrue(e.getMessage().contains("dModel = 0"), "message names field and value: " + e.getMessage());
    }
}
