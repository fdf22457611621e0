package polygrok.backend.conformance;

/**
 * The one agreement rule of the conformance suite: an element passes when
 * |got - ref| <= atol + rtol * |ref|. Written so that a NaN on either side fails.
 */
public record Tolerance(double atol, double rtol) {
    /** For results that are copies or exact float32 roundings of the same inputs. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(atol >= 0 && rtol >= 0)) {
            throw new IllegalArgumentException("atol and rtol must be >= 0, got " + atol + ", " + rtol);
        }
    }

    public double bound(double ref) {
        return atol + rtol * Math.abs(ref);
    }

    public boolean allows(double got, double ref) {
        return Math.abs(got - ref) <= bound(ref);
    }

    @Override
    public String toString() {
        return "|got - ref| <= " + atol + " + " + rtol + " * |ref|";
    }
}
