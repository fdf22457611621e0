package polygrok.backend.cpu;

import static polygrok.backend.cpu.FloatGelu.A1;
import static polygrok.backend.cpu.FloatGelu.A2;
import static polygrok.backend.cpu.FloatGelu.A3;
import static polygrok.backend.cpu.FloatGelu.A4;
import static polygrok.backend.cpu.FloatGelu.A5;
import static polygrok.backend.cpu.FloatGelu.C2;
import static polygrok.backend.cpu.FloatGelu.C3;
import static polygrok.backend.cpu.FloatGelu.C4;
import static polygrok.backend.cpu.FloatGelu.C5;
import static polygrok.backend.cpu.FloatGelu.C6;
import static polygrok.backend.cpu.FloatGelu.C7;
import static polygrok.backend.cpu.FloatGelu.EXP_MIN;
import static polygrok.backend.cpu.FloatGelu.INV_SQRT2;
import static polygrok.backend.cpu.FloatGelu.INV_SQRT_2PI;
import static polygrok.backend.cpu.FloatGelu.LN2_HI;
import static polygrok.backend.cpu.FloatGelu.LN2_LO;
import static polygrok.backend.cpu.FloatGelu.LOG2E;
import static polygrok.backend.cpu.FloatGelu.P;
import static polygrok.backend.cpu.FloatGelu.SHIFTER;
import static polygrok.backend.cpu.FloatGelu.SHIFTER_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link FloatGelu} on whole vectors, operation for operation (so the bits equal the scalar twin's):
 * the exp is built from a polynomial and exponent bits rather than the Vector API's EXP, whose
 * results depend on whether the JIT has an intrinsic for it.
 */
final class VectorGelu {
    private VectorGelu() {
    }

    static FloatVector expNonPositive(FloatVector y) {
        FloatVector yc = y.max(EXP_MIN);
        FloatVector shifted = yc.fma(LOG2E, SHIFTER);
        FloatVector k = shifted.sub(SHIFTER);
        FloatVector kn = k.neg();
        FloatVector r = kn.fma(y.broadcast(LN2_HI), yc);
        r = kn.fma(y.broadcast(LN2_LO), r);
        FloatVector p = r.broadcast(C7).fma(r, r.broadcast(C6));
        p = p.fma(r, r.broadcast(C5));
        p = p.fma(r, r.broadcast(C4));
        p = p.fma(r, r.broadcast(C3));
        p = p.fma(r, r.broadcast(C2));
        p = p.fma(r, r.broadcast(1f));
        p = p.fma(r, r.broadcast(1f));
        FloatVector scale = shifted.reinterpretAsInts().sub(SHIFTER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector e = p.mul(scale);
        return e.blend(0f, y.compare(VectorOperators.LT, EXP_MIN));
    }

    static FloatVector gauss(FloatVector x) {
        return expNonPositive(x.mul(x).mul(-0.5f));
    }

    static FloatVector phi(FloatVector x, FloatVector gauss) {
        FloatVector z = x.abs().mul(INV_SQRT2);
        FloatVector t = x.broadcast(1f).div(z.broadcast(P).fma(z, z.broadcast(1f)));
        FloatVector poly = t.broadcast(A5).fma(t, t.broadcast(A4));
        poly = poly.fma(t, t.broadcast(A3));
        poly = poly.fma(t, t.broadcast(A2));
        poly = poly.fma(t, t.broadcast(A1));
        FloatVector half = poly.mul(t).mul(gauss).mul(0.5f);
        return x.broadcast(1f).sub(half).blend(half, x.compare(VectorOperators.GE, 0f).not());
    }

    static FloatVector value(FloatVector x) {
        return x.mul(phi(x, gauss(x)));
    }

    static FloatVector derivative(FloatVector x) {
        FloatVector g = gauss(x);
        return x.mul(g).fma(x.broadcast(INV_SQRT_2PI), phi(x, g));
    }
}
