package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import polygrok.backend.Activation;
import polygrok.backend.AttentionDims;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The cuda backend's orchestration of linear maps, the MLP and attention (MatrixOps: which GEMM, which
 * operand transposed, leading dimensions, last-position row subsets, strided weights, scratch) against
 * cpuref, with the GEMM and kernels replaced by host twins (HostKernels) on a host heap. Runs without a
 * GPU; the same ops run on a GPU in the conformance suite (polygrok.backend.conformance).
 */
class MatrixOpsHostTest {
    static final double RTOL = 1e-4, ATOL = 2e-5;
    static final int M = 3, B = 4, D = 10, H = 2, DH = 3, HD = H * DH, F = 13;

    private final CpuRefBackend ref = new CpuRefBackend();
    private final HostHeap heap = new HostHeap(1 << 20);
    private final HostKernels host = new HostKernels(heap);
    private final MatrixOps ops = new MatrixOps(host, new ActivationKernels(host), new AttentionKernels(host), new MemoryKernels(host),
            new Scratch(heap, () -> { }, () -> false));
    private final Random random = new Random(99);

    /** A tensor on cpuref and its twin on the host heap, a view at {@code offset} into a [M, stride] block. */
    private record Twin(Tensor ref, int base, long stride, Shape shape) {
        DeviceView view() {
            return new DeviceView(HostHeap.pointer(base), stride);
        }
    }

    private Twin twin(Shape shape, double scale, int gap) {
        long per = shape.perModel(), stride = per + gap;
        int base = heap.region(M * stride);
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        Tensor r = new Tensor(new polygrok.tensor.DoubleStorage(M * stride), 0, shape, stride);
        ref.upload(r, values);
        for (int m = 0; m < M; m++) {
            for (int j = 0; j < per; j++) {
                heap.data[(int) (base + m * stride + j)] = (float) values[(int) (m * per + j)];
            }
        }
        return new Twin(r, base, stride, shape);
    }

    private Twin packed(Shape shape, double scale) {
        return twin(shape, scale, 0);
    }

    private void check(String op, String name, Twin t) {
        double[] r = ref.toDoubles(t.ref());
        long per = t.shape().perModel();
        double max = 0;
        for (double x : r) {
            max = Math.max(max, Math.abs(x));
        }
        for (int m = 0; m < M; m++) {
            for (int j = 0; j < per; j++) {
                double g = heap.data[(int) (t.base() + m * t.stride() + j)], e = r[(int) (m * per + j)];
                if (!(Math.abs(g - e) <= ATOL * max + RTOL * Math.abs(e))) {
                    fail(op + ": " + name + "[model " + m + ", " + j + "]: host " + g + " vs cpuref " + e);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} in={2} out={3}")
    @CsvSource({"OUT_IN,7,5,9", "IN_OUT,7,5,9", "OUT_IN,1,3,1"})
    void linear(WeightLayout layout, int n, int in, int out) {
        Shape ws = layout == WeightLayout.OUT_IN ? Shape.of(M, out, in) : Shape.of(M, in, out);
        Twin w = twin(ws, 1, 5), x = packed(Shape.of(M, n, in), 1), y = packed(Shape.of(M, n, out), 1);
        ref.linearForward(x.ref(), w.ref(), layout, y.ref());
        ops.linearForward(x.view(), w.view(), layout, y.view(), M, n, in, out);
        check("linearForward " + layout, "y", y);
        Twin dW = twin(ws, 1, 5), dY = packed(Shape.of(M, n, out), 1), dX = packed(Shape.of(M, n, in), 1);
        ref.linearBackward(x.ref(), w.ref(), layout, dY.ref(), dX.ref(), dW.ref());
        ops.linearBackward(x.view(), w.view(), layout, dY.view(), dX.view(), dW.view(), M, n, in, out);
        check("linearBackward " + layout, "dX", dX);
        check("linearBackward " + layout, "dW", dW);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void mlp(Activation act) {
        int n = 6;
        Twin wIn = twin(Shape.of(M, F, D), 0.5, 3), wOut = twin(Shape.of(M, D, F), 0.5, 2);
        Twin x = packed(Shape.of(M, n, D), 1), pre = packed(Shape.of(M, n, F), 1), out = packed(Shape.of(M, n, D), 1);
        ref.mlpForward(x.ref(), wIn.ref(), wOut.ref(), act, pre.ref(), out.ref());
        ops.mlpForward(x.view(), wIn.view(), wOut.view(), act, pre.view(), out.view(), M, n, D, F);
        check("mlpForward " + act, "pre", pre);
        check("mlpForward " + act, "out", out);
        Twin dWIn = twin(Shape.of(M, F, D), 0.5, 3), dWOut = twin(Shape.of(M, D, F), 0.5, 2);
        Twin dOut = packed(Shape.of(M, n, D), 1), dX = packed(Shape.of(M, n, D), 1);
        ref.mlpBackward(x.ref(), wIn.ref(), wOut.ref(), act, pre.ref(), dOut.ref(), dX.ref(), dWIn.ref(), dWOut.ref());
        ops.mlpBackward(x.view(), wIn.view(), wOut.view(), act, pre.view(), dOut.view(), dX.view(), dWIn.view(), dWOut.view(), M, n, D, F);
        check("mlpBackward " + act, "dX", dX);
        check("mlpBackward " + act, "dW_in", dWIn);
        check("mlpBackward " + act, "dW_out", dWOut);
    }

    @ParameterizedTest(name = "T={0} lastOnly={1}")
    @CsvSource({"3,false", "3,true", "5,true", "1,false"})
    void attention(int t, boolean lastOnly) {
        int tq = lastOnly ? 1 : t;
        Twin wQ = twin(Shape.of(M, H, DH, D), 0.5, 4), wK = twin(Shape.of(M, H, DH, D), 0.5, 1);
        Twin wV = twin(Shape.of(M, H, DH, D), 0.5, 2), wO = twin(Shape.of(M, D, HD), 0.5, 3);
        Twin x = packed(Shape.of(M, B, t, D), 1), out = packed(Shape.of(M, B, tq, D), 1);
        Twin q = packed(Shape.of(M, B, tq, H, DH), 1), k = packed(Shape.of(M, B, t, H, DH), 1), v = packed(Shape.of(M, B, t, H, DH), 1);
        Twin pattern = packed(Shape.of(M, B, H, tq, t), 1), z = packed(Shape.of(M, B, tq, HD), 1);
        AttentionSaved saved = new AttentionSaved(q.ref(), k.ref(), v.ref(), pattern.ref(), z.ref());
        AttentionDims dims = new polygrok.backend.AttentionDims(M, B, t, D, H, DH, lastOnly);
        ref.attentionForward(x.ref(), wQ.ref(), wK.ref(), wV.ref(), wO.ref(), lastOnly, saved, out.ref());
        ops.attentionForward(x.view(), wQ.view(), wK.view(), wV.view(), wO.view(), q.view(), k.view(), v.view(),
                pattern.view(), z.view(), out.view(), dims);
        String op = "attentionForward T=" + t + " lastOnly=" + lastOnly;
        check(op, "q", q);
        check(op, "k", k);
        check(op, "v", v);
        check(op, "pattern", pattern);
        check(op, "z", z);
        check(op, "out", out);
        Twin dWQ = twin(Shape.of(M, H, DH, D), 0.5, 4), dWK = twin(Shape.of(M, H, DH, D), 0.5, 1);
        Twin dWV = twin(Shape.of(M, H, DH, D), 0.5, 2), dWO = twin(Shape.of(M, D, HD), 0.5, 3);
        Twin dOut = packed(Shape.of(M, B, tq, D), 1), dX = packed(Shape.of(M, B, t, D), 1);
        ref.attentionBackward(x.ref(), wQ.ref(), wK.ref(), wV.ref(), wO.ref(), lastOnly, saved, dOut.ref(),
                dX.ref(), dWQ.ref(), dWK.ref(), dWV.ref(), dWO.ref());
        ops.attentionBackward(x.view(), wQ.view(), wK.view(), wV.view(), wO.view(), q.view(), k.view(), v.view(),
                pattern.view(), z.view(), dOut.view(), dX.view(), dWQ.view(), dWK.view(), dWV.view(), dWO.view(), dims);
        op = "attentionBackward T=" + t + " lastOnly=" + lastOnly;
        check(op, "dX", dX);
        check(op, "dW_Q", dWQ);
        check(op, "dW_K", dWK);
        check(op, "dW_V", dWV);
        check(op, "dW_O", dWO);
    }

    @ParameterizedTest(name = "T={0} lastOnly={1}")
    @CsvSource({"3,false", "3,true", "5,true", "1,false"})
    void attentionCore(int t, boolean lastOnly) {
        int tq = lastOnly ? 1 : t;
        Twin wO = twin(Shape.of(M, D, HD), 0.5, 3), out = packed(Shape.of(M, B, tq, D), 1);
        Twin q = packed(Shape.of(M, B, tq, H, DH), 1), k = packed(Shape.of(M, B, t, H, DH), 1), v = packed(Shape.of(M, B, t, H, DH), 1);
        Twin pattern = packed(Shape.of(M, B, H, tq, t), 1), z = packed(Shape.of(M, B, tq, HD), 1);
        AttentionSaved saved = new AttentionSaved(q.ref(), k.ref(), v.ref(), pattern.ref(), z.ref());
        AttentionDims dims = new polygrok.backend.AttentionDims(M, B, t, D, H, DH, lastOnly);
        ref.attentionCoreForward(wO.ref(), lastOnly, saved, out.ref());
        ops.attentionCoreForward(wO.view(), q.view(), k.view(), v.view(), pattern.view(), z.view(), out.view(), dims);
        String op = "attentionCoreForward T=" + t + " lastOnly=" + lastOnly;
        check(op, "pattern", pattern);
        check(op, "z", z);
        check(op, "out", out);
        // gradients start non-zero: the backward must add into them
        Twin dOut = packed(Shape.of(M, B, tq, D), 1), dWO = twin(Shape.of(M, D, HD), 0.5, 3);
        Twin dQ = packed(Shape.of(M, B, tq, H, DH), 1), dK = packed(Shape.of(M, B, t, H, DH), 1), dV = packed(Shape.of(M, B, t, H, DH), 1);
        ref.attentionCoreBackward(wO.ref(), lastOnly, saved, dOut.ref(), dQ.ref(), dK.ref(), dV.ref(), dWO.ref());
        ops.attentionCoreBackward(wO.view(), q.view(), k.view(), v.view(), pattern.view(), z.view(), dOut.view(),
                dQ.view(), dK.view(), dV.view(), dWO.view(), dims);
        op = "attentionCoreBackward T=" + t + " lastOnly=" + lastOnly;
        check(op, "dQ", dQ);
        check(op, "dK", dK);
        check(op, "dV", dV);
        check(op, "dW_O", dWO);
    }
}
