package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * A few training steps of a one-block transformer on the cpu backend give the same bits on every
 * run and on any thread count: every reduction has an order fixed by the problem size alone. A
 * group of small models (run side by side, whole models per worker) gives each model the bits it
 * gets alone.
 */
class CpuDeterminismTest {
    // big enough that the pool and several GEMM blocks are used
    private static final int B = 160, T = 3, D = 40, H = 4, DH = 10, F = 120, V = 37;

    @Test
    void sameBitsAcrossRunsAndThreadCounts() {
        double[] reference = train(2, true);
        assertBitsEqual("2 threads, second run", reference, train(2, true));
        assertBitsEqual("1 thread", reference, train(1, true));
        assertBitsEqual("3 threads", reference, train(3, true));
    }

    @Test
    void groupOfFourSmallModelsMatchesEachModelAloneOnAnyThreadCount() {
        double[] group = train(2, true, 4, 7);
        assertBitsEqual("group of 4, 1 thread", group, train(1, true, 4, 7));
        assertBitsEqual("group of 4, 3 threads", group, train(3, true, 4, 7));
        int perModel = group.length / 4 - 3;
        for (int k = 0; k < 4; k++) {
            double[] alone = train(2, true, 1, 7 + k);
            double[] slice = new double[perModel + 3];
            System.arraycopy(group, k * perModel, slice, 0, perModel);
            System.arraycopy(group, 4 * perModel + 3 * k, slice, perModel, 3);
            assertBitsEqual("model " + k + " of the group vs alone", alone, slice);
        }
    }

    @Test
    void scalarKernelIsDeterministicToo() {
        double[] reference = train(2, false);
        assertBitsEqual("scalar, 3 threads", reference, train(3, false));
    }

    private static void assertBitsEqual(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": result length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + ": parameter/loss element " + i + " differs: " + actual[i] + " vs " + expected[i]);
            }
        }
    }

    /** Parameters after three AdamW steps, followed by the three losses. */
    private static double[] train(int threads, boolean vector) {
        return train(threads, vector, 1, 7);
    }

    /**
     * M models trained side by side, model k from its own seed (firstSeed + k: initial parameters,
     * tokens, labels): every model's parameters after three AdamW steps, then each model's three losses.
     */
    private static double[] train(int threads, boolean vector, int M, long firstSeed) {
        try (CpuBackend be = new CpuBackend(threads, vector)) {
            int hd = H * DH;
            int[] sizes = {D * V, hd * D, hd * D, hd * D, D * hd, F * D, D * F, D * V};
            int p = 0;
            for (int s : sizes) {
                p += s;
            }
            Tensor params = be.zeros(Shape.of(M, p)), grads = be.zeros(Shape.of(M, p));
            Tensor m1 = be.zeros(Shape.of(M, p)), m2 = be.zeros(Shape.of(M, p));
            double[] init = new double[M * p];
            int[] tok = new int[M * B * T], lab = new int[M * B];
            for (int k = 0; k < M; k++) {
                Random rnd = new Random(firstSeed + k);
                for (int i = 0; i < p; i++) {
                    init[k * p + i] = rnd.nextGaussian() * 0.1;
                }
                for (int i = 0; i < B * T; i++) {
                    tok[k * B * T + i] = rnd.nextInt(V);
                }
                for (int i = 0; i < B; i++) {
                    lab[k * B + i] = rnd.nextInt(V);
                }
            }
            be.upload(params, init);
            Tensor[] w = views(params, p, M), g = views(grads, p, M);
            Tensor tokens = be.ints(Shape.of(M, B, T), tok), labels = be.ints(Shape.of(M, B), lab);
            Tensor weights = be.zeros(Shape.of(M, B));
            be.fill(weights, 1.0 / B);
            Tensor trainable = be.zeros(Shape.of(1, p));
            be.fill(trainable, 1);
            Tensor lr = be.zeros(Shape.of(M, 1)), wd = be.zeros(Shape.of(M, 1)), step = be.zeros(Shape.of(M, 1));
            be.fill(lr, 1e-3);
            be.fill(wd, 1);
            AdamWSettings settings = new AdamWSettings(lr, wd, step, trainable, 0.9, 0.98, 1e-8);

            Tensor x = be.zeros(Shape.of(M, B, T, D)), attnOut = be.zeros(Shape.of(M, B, 1, D));
            AttentionSaved saved = new AttentionSaved(be.zeros(Shape.of(M, B, 1, H, DH)), be.zeros(Shape.of(M, B, T, H, DH)),
                    be.zeros(Shape.of(M, B, T, H, DH)), be.zeros(Shape.of(M, B, H, 1, T)), be.zeros(Shape.of(M, B, 1, hd)));
            Tensor resid = be.zeros(Shape.of(M, B, 1, D)), pre = be.zeros(Shape.of(M, B, F)), mlpOut = be.zeros(Shape.of(M, B, D));
            Tensor logits = be.zeros(Shape.of(M, B, V)), perExample = be.zeros(Shape.of(M, B, 3)), loss = be.zeros(Shape.of(M, 1));
            Tensor dLogits = be.zeros(logits.shape()), dResid = be.zeros(Shape.of(M, B, D)), dX = be.zeros(x.shape());
            Tensor dAttn = be.zeros(attnOut.shape()), lastX = be.zeros(Shape.of(M, B, 1, D));
            double[] losses = new double[3 * M];
            for (int it = 0; it < 3; it++) {
                be.fill(grads, 0);
                be.embedForward(w[0], tokens, x);
                be.attentionForward(x, w[1], w[2], w[3], w[4], true, saved, attnOut);
                be.lastPositionForward(x, lastX);
                be.add(lastX, attnOut, resid);
                Tensor r2 = resid.reshape(M, B, D);
                be.mlpForward(r2, w[5], w[6], Activation.RELU, pre, mlpOut);
                be.addInto(r2, mlpOut);
                be.linearForward(mlpOut, w[7], WeightLayout.IN_OUT, logits);
                be.crossEntropyForward(logits, labels, weights, perExample, loss);
                double[] l = be.toDoubles(loss);
                for (int k = 0; k < M; k++) {
                    losses[3 * k + it] = l[k];
                }
                be.fill(dLogits, 0);
                be.crossEntropyBackward(logits, labels, weights, dLogits);
                be.fill(dResid, 0);
                be.linearBackward(mlpOut, w[7], WeightLayout.IN_OUT, dLogits, dResid, g[7]);
                Tensor dMlpIn = be.zeros(dResid.shape());
                be.copy(dResid, dMlpIn);
                be.mlpBackward(r2, w[5], w[6], Activation.RELU, pre, dResid, dMlpIn, g[5], g[6]);
                be.fill(dX, 0);
                be.copy(dMlpIn.reshape(M, B, 1, D), dAttn);
                be.lastPositionBackward(dAttn, dX);
                be.attentionBackward(x, w[1], w[2], w[3], w[4], true, saved, dAttn, dX, g[1], g[2], g[3], g[4]);
                be.embedBackward(dX, tokens, g[0]);
                be.adamwStep(params, grads, m1, m2, settings);
            }
            double[] out = be.toDoubles(params);
            double[] all = java.util.Arrays.copyOf(out, out.length + 3 * M);
            System.arraycopy(losses, 0, all, out.length, 3 * M);
            return all;
        }
    }

    /** W_E [D, V], W_Q, W_K, W_V [H, Dh, D], W_O [D, H*Dh], W_in [F, D], W_out [D, F], W_U [D, V] inside one block. */
    private static Tensor[] views(Tensor block, int p, int M) {
        int[][] shapes = {{M, D, V}, {M, H, DH, D}, {M, H, DH, D}, {M, H, DH, D}, {M, D, H * DH}, {M, F, D}, {M, D, F}, {M, D, V}};
        Tensor[] out = new Tensor[shapes.length];
        long off = 0;
        for (int i = 0; i < shapes.length; i++) {
            Shape s = Shape.of(shapes[i]);
            out[i] = new Tensor(block.storage(), off, s, p);
            off += s.perModel();
        }
        return out;
    }
}
