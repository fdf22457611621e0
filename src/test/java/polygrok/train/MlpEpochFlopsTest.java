package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import polygrok.backend.Activation;
import polygrok.model.ModelSpec;

/** The MLP model's epoch FLOPs, counted by hand on a small shape, and the dispatch by model type. */
class MlpEpochFlopsTest {
    @Test
    void aSmallShapeCountedByHand() {
        // 2 positions, d_emb 3, d_model 4, one hidden layer, vocabulary 5:
        // inproj 2*2*3*4 = 48, hidden 2*4*4 = 32, outproj 2*4*3 = 24, unembedding 2*3*5 = 30: 134 per example
        MlpEpochFlops f = new MlpEpochFlops(2, 1, 2, 3, 4, 1, 5);
        assertEquals(134, f.forwardPerExample());
        assertEquals(3 * 2 * 134, f.trainFlops(), "train: forward and a backward of twice its cost");
        assertEquals(134, f.testFlops());
        assertEquals(938, f.total());
    }

    @Test
    void theOneHotModelCountedByHand() {
        // 2 positions, vocabulary 5, d_model 4, one hidden layer: input 2*(2*5)*4 = 80, hidden 2*4*4 = 32,
        // output 2*4*5 = 40: 152 per example (d_emb 3 plays no part)
        MlpEpochFlops f = new MlpEpochFlops(2, 1, 2, 3, 4, 1, 5, true);
        assertEquals(152, f.forwardPerExample());
        ModelSpec oneHot = new ModelSpec(ModelSpec.ModelType.MLP, 5, 2, 4, 1, 1, 1, 500, Activation.RELU, false, false, 1.0,
                false, false, false, true);
        assertEquals(152, EpochFlopCount.of(oneHot, 2, 1).forwardPerExample(), "the dispatch passes input one_hot on");
    }

    @Test
    void everyModelTypeHasACount() {
        ModelSpec mlp = new ModelSpec(ModelSpec.ModelType.MLP, 118, 2, 200, 1, 1, 1, 113, Activation.RELU, false, false, 1.0);
        EpochFlopCount c = EpochFlopCount.of(mlp, 5107, 7662);
        assertTrue(c instanceof MlpEpochFlops, c.toString());
        assertTrue(Double.isFinite(c.gflop()) && c.gflop() > 0, "a finite, positive GFLOP figure for the MLP model: " + c.gflop());
        ModelSpec transformer = new ModelSpec(ModelSpec.ModelType.TRANSFORMER, 102, 3, 128, 1, 4, 512, 0, Activation.RELU, false, false, 1.0);
        assertEquals(new EpochFlops(2822, 6587, 3, 128, 4, 32, 512, 1, 102, true), EpochFlopCount.of(transformer, 2822, 6587));
    }

    @Test
    void negativeSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MlpEpochFlops(1, 1, 0, 3, 4, 1, 5));
    }
}
