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
 * run and on any thread count: every reduction has an order fixed by the problem size alone.
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
        try (CpuBackend be = new CpuBackend(threads, vector)) {
            Random rnd = new Random(7);
            int hd = H * DH;
            int[] sizes = {D * V, hd * D, hd * D, hd * D, D * hd, F * D, D * F, D * V};
            int p = 0;
            for (int s : sizes) {
                p += s;
            }
            Tensor params = be.zeros(Shape.of(1, p)), grads = be.zeros(Shape.of(1, p));
            Tensor m1 = be.zeros(Shape.of(1, p)), m2 = be.zeros(Shape.of(1, p));
            double[] init = new double[p];
            for (int i = 0; i < p; i++) {
                init[i] = rnd.nextGaussian() * 0.1;
            }
            be.upload(params, init);
            Tensor[] w = views(params, p), g = views(grads, p);
            int[] tok = new int[B * T], lab = new int[B];
            for (int i = 0; i < tok.length; i++) {
                tok[i] = rnd.nextInt(V);
            }
            for (int i = 0; i < B; i++) {
                lab[i] = rnd.nextInt(V);
            }
            Tensor tokens = be.ints(Shape.of(1, B, T), tok), labels = be.ints(Shape.of(1, B), lab);
            Tensor weights = be.zeros(Shape.of(1, B));
            be.fill(weights, 1.0 / B);
            Tensor trainable = be.zeros(Shape.of(1, p));
            be.fill(trainable, 1);
            Tensor lr = be.zeros(Shape.of(1, 1)), wd = be.zeros(Shape.of(1, 1)), step = be.zeros(Shape.of(1, 1));
            be.fill(lr, 1e-3);
            be.fill(wd, 1);
            AdamWSettings settings = new AdamWSettings(lr, wd, step, trainable, 0.9, 0.98, 1e-8);

            Tensor x = be.zeros(Shape.of(1, B, T, D)), attnOut = be.zeros(Shape.of(1, B, 1, D));
            AttentionSaved saved = new AttentionSaved(be.zeros(Shape.of(1, B, 1, H, DH)), be.zeros(Shape.of(1, B, T, H, DH)),
                    be.zeros(Shape.of(1, B, T, H, DH)), be.zeros(Shape.of(1, B, H, 1, T)), be.zeros(Shape.of(1, B, 1, hd)));
            Tensor resid = be.zeros(Shape.of(1, B, 1, D)), pre = be.zeros(Shape.of(1, B, F)), mlpOut = be.zeros(Shape.of(1, B, D));
            Tensor logits = be.zeros(Shape.of(1, B, V)), perExample = be.zeros(Shape.of(1, B, 3)), loss = be.zeros(Shape.of(1, 1));
            Tensor dLogits = be.zeros(logits.shape()), dResid = be.zeros(Shape.of(1, B, D)), dX = be.zeros(x.shape());
            Tensor dAttn = be.zeros(attnOut.shape()), lastX = be.zeros(Shape.of(1, B, 1, D));
            double[] losses = new double[3];
            for (int it = 0; it < 3; it++) {
                be.fill(grads, 0);
                be.embedForward(w[0], tokens, x);
                be.attentionForward(x, w[1], w[2], w[3], w[4], true, saved, attnOut);
                be.lastPositionForward(x, lastX);
                be.add(lastX, attnOut, resid);
                Tensor r2 = resid.reshape(1, B, D);
                be.mlpForward(r2, w[5], w[6], Activation.RELU, pre, mlpOut);
                be.addInto(r2, mlpOut);
                be.linearForward(mlpOut, w[7], WeightLayout.IN_OUT, logits);
                be.crossEntropyForward(logits, labels, weights, perExample, loss);
                losses[it] = be.toDoubles(loss)[0];
                be.fill(dLogits, 0);
                be.crossEntropyBackward(logits, labels, weights, dLogits);
                be.fill(dResid, 0);
                be.linearBackward(mlpOut, w[7], WeightLayout.IN_OUT, dLogits, dResid, g[7]);
                Tensor dMlpIn = be.zeros(dResid.shape());
                be.copy(dResid, dMlpIn);
                be.mlpBackward(r2, w[5], w[6], Activation.RELU, pre, dResid, dMlpIn, g[5], g[6]);
                be.fill(dX, 0);
                be.copy(dMlpIn.reshape(1, B, 1, D), dAttn);
                be.lastPositionBackward(dAttn, dX);
                be.attentionBackward(x, w[1], w[2], w[3], w[4], true, saved, dAttn, dX, g[1], g[2], g[3], g[4]);
                be.embedBackward(dX, tokens, g[0]);
                be.adamwStep(params, grads, m1, m2, settings);
            }
            double[] out = be.toDoubles(params);
            double[] all = java.util.Arrays.copyOf(out, out.length + 3);
            System.arraycopy(losses, 0, all, out.length, 3);
            return all;
        }
    }

    /** W_E [D, V], W_Q, W_K, W_V [H, Dh, D], W_O [D, H*Dh], W_in [F, D], W_out [D, F], W_U [D, V] inside one block. */
    private static Tensor[] views(Tensor block, int p) {
        int[][] shapes = {{1, D, V}, {1, H, DH, D}, {1, H, DH, D}, {1, H, DH, D}, {1, D, H * DH}, {1, F, D}, {1, D, F}, {1, D, V}};
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
