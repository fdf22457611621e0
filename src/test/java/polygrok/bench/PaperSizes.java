package polygrok.bench;

import java.util.Random;
import polygrok.backend.Backend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/** The paper configuration's sizes (p 97, fraction 0.3) and seeded random tensors for the benchmarks. */
final class PaperSizes {
    /** Training examples (0.3 * 97^2), context, model width, heads, head width, MLP width, vocabulary. */
    static final int B = 2822, T = 3, D = 128, H = 4, DH = 32, F = 512, V = 102;

    private PaperSizes() {
    }

    static Tensor random(Backend be, Random rnd, double scale, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rnd.nextGaussian();
        }
        Tensor t = be.zeros(s);
        be.upload(t, v);
        return t;
    }
}
