package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.sum;

import polygrok.backend.WeightLayout;

/**
 * One linear layer, y = x W (W stored [out, in] or [in, out]) for M models, run forward and backward
 * on twins and checked. Public so that the cuda-only tests can run the same case on their GEMM variants.
 */
public record LinearCase(WeightLayout layout, int n, int in, int out, int m) {
    @Override
    public String toString() {
        return layout + " " + n + "x" + in + "->" + out + " M=" + m;
    }

    /** Runs the case on {@code tw}; {@code tag} names the GEMM variant in failure messages. */
    public void check(TwinTensors tw, String tag) {
        int[] wDims = layout == WeightLayout.OUT_IN ? new int[]{m, out, in} : new int[]{m, in, out};
        Twin x = tw.random(1, m, n, in), w = tw.strided(6, 4, 1 / Math.sqrt(in), wDims), y = tw.random(1, m, n, out);
        String name = this + tag;
        tw.run((be, a) -> be.linearForward(a[0], a[1], layout, a[2]), x, w, y);
        tw.check("linearForward " + name, "y", y, sum(in));
        Twin dY = tw.random(1, m, n, out), dX = tw.random(1, m, n, in), dW = tw.strided(1, 1, 1, wDims);
        tw.run((be, a) -> be.linearBackward(a[0], a[1], layout, a[2], a[3], a[4]), x, w, dY, dX, dW);
        tw.check("linearBackward " + name, "dX", dX, sum(out + 1L));
        tw.check("linearBackward " + name, "dW", dW, sum(n + 1L));
    }
}
