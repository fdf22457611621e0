package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import polygrok.backend.AdamWSettings;
import polygrok.tensor.Shape;

/**
 * AdamW as the cuda backend runs it (AdamWKernels.step: adamw_update, then adamw_advance_step), from the kernel
 * source on the CPU (EmulatedLauncher), against cpuref's float64 AdamW over several steps: moments, the step
 * counter, bias correction (one model resumes at step 7), decoupled weight decay (a different decay per model,
 * one without), and the trainable mask, whose zeros must leave weights and moments bit for bit unchanged.
 */
class AdamWKernelsHostTest {
    /** Weights and moments: float32 arithmetic of a handful of operations per step against float64. */
    static final double ATOL = 1e-6, RTOL = 1e-5;
    /** The step counter is a small integer: exact. */
    static final double EXACT = 0;
    static final int M = 3, P = 700, STEPS = 5;
    static final double BETA1 = 0.9, BETA2 = 0.98, EPS = 1e-8;

    private static EmulatedLauncher launcher;
    private static HeapTensors tensors;

    @BeforeAll
    static void start() throws IOException {
        String why = EmulatedLauncher.whyUnavailable();
        Assumptions.assumeTrue(why == null, why);
        tensors = new HeapTensors(1 << 16, 43);
        launcher = new EmulatedLauncher(tensors.heap);
    }

    @AfterAll
    static void stop() throws IOException {
        if (launcher != null) {
            launcher.close();
        }
    }

    private static boolean frozen(int j) {
        return j == 0 || j % 5 == 2 || j == P - 1;
    }

    @Test
    void severalStepsMatchCpuref() {
        HeapTensors.Twin w = tensors.random(Shape.of(M, P), 1, 5), g = tensors.random(Shape.of(M, P), 1, 3);
        double[] m1Start = tensors.values((long) M * P, 0.1), m2Start = tensors.values((long) M * P, 0.1);
        for (int j = 0; j < 2 * P; j++) { // models 0 and 1 start fresh; model 2 resumes with moments
            m1Start[j] = 0;
            m2Start[j] = 0;
        }
        for (int j = 2 * P; j < 3 * P; j++) {
            m2Start[j] = Math.abs(m2Start[j]);
        }
        HeapTensors.Twin m1 = tensors.of(Shape.of(M, P), 7, m1Start), m2 = tensors.of(Shape.of(M, P), 2, m2Start);
        HeapTensors.Twin lr = tensors.of(Shape.of(M, 1), 1, new double[]{1e-3, 3e-2, 1e-1});
        HeapTensors.Twin wd = tensors.of(Shape.of(M, 1), 2, new double[]{1.0, 0.0, 0.5});
        HeapTensors.Twin step = tensors.of(Shape.of(M, 1), 3, new double[]{0, 0, 7});
        double[] mask = new double[P];
        for (int j = 0; j < P; j++) {
            mask[j] = frozen(j) ? 0 : 1;
        }
        HeapTensors.Twin trainable = tensors.of(Shape.of(1, P), 0, mask);
        float[] w0 = snapshot(w), m10 = snapshot(m1), m20 = snapshot(m2);
        AdamWSettings settings = new AdamWSettings(lr.ref(), wd.ref(), step.ref(), trainable.ref(), BETA1, BETA2, EPS);
        AdamWKernels kernels = new AdamWKernels(launcher);
        for (int s = 1; s <= STEPS; s++) {
            double[] grads = tensors.values((long) M * P, 1);
            for (int j = 0; j < grads.length; j += 7) {
                grads[j] = 0; // decay alone acts where the moments are still zero
            }
            tensors.set(g, grads);
            tensors.ref.adamwStep(w.ref(), g.ref(), m1.ref(), m2.ref(), settings);
            kernels.step(w.view(), g.view(), m1.view(), m2.view(), lr.view(), wd.view(), step.view(), trainable.view(),
                    M, P, (float) BETA1, (float) BETA2, (float) EPS);
            String op = "adamw step " + s;
            tensors.check(op, "w", w, ATOL, RTOL);
            tensors.check(op, "m", m1, ATOL, RTOL);
            tensors.check(op, "v", m2, ATOL, RTOL);
            tensors.check(op, "step", step, EXACT, EXACT);
            tensors.check(op, "g", g, EXACT, EXACT);
            unchangedWhereFrozen(op, "w", w, w0);
            unchangedWhereFrozen(op, "m", m1, m10);
            unchangedWhereFrozen(op, "v", m2, m20);
        }
        for (int m = 0; m < M; m++) {
            int changed = 0;
            for (int j = 0; j < P; j++) {
                changed += tensors.heapValue(w, m, j) != w0[m * P + j] ? 1 : 0;
            }
            assertTrue(changed > P / 2, "model " + m + ": only " + changed + " of " + P + " weights moved in " + STEPS + " steps");
        }
    }

    private static float[] snapshot(HeapTensors.Twin t) {
        float[] out = new float[t.models() * t.perModel()];
        for (int m = 0; m < t.models(); m++) {
            for (int j = 0; j < t.perModel(); j++) {
                out[m * t.perModel() + j] = tensors.heapValue(t, m, j);
            }
        }
        return out;
    }

    /** Frozen entries: no update and no decay, so the bits stay those before the first step. */
    private static void unchangedWhereFrozen(String op, String name, HeapTensors.Twin t, float[] before) {
        for (int m = 0; m < t.models(); m++) {
            for (int j = 0; j < t.perModel(); j++) {
                float got = tensors.heapValue(t, m, j), was = before[m * t.perModel() + j];
                if (frozen(j) && Float.floatToRawIntBits(got) != Float.floatToRawIntBits(was)) {
                    fail(op + ": frozen " + name + "[model " + m + ", " + j + "] changed: kernel " + got + ", before " + was);
                }
            }
        }
    }
}
