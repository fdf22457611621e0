package polygrok.backend.conformance;

import java.util.BitSet;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * A [M, P] block on both backends, as the trainer keeps parameters, gradients and moments, from
 * which named views with model stride P are cut. Positions of a model's row that no view covers
 * are gaps: an op writing through a view must leave them exactly as they were.
 */
public final class Block {
    final Twin whole;
    private final BitSet covered = new BitSet();

    Block(Twin whole) {
        this.whole = whole;
    }

    /** A view of {@code dims} (model axis first, equal to the block's) starting {@code offset} into every model's row. */
    public Twin view(long offset, int... dims) {
        Shape s = Shape.of(dims);
        if (s.dim(0) != models()) {
            throw new IllegalArgumentException("a view of " + s + " in a block of " + models() + " models");
        }
        long p = rowLength();
        covered.set(Math.toIntExact(offset), Math.toIntExact(offset + s.perModel()));
        return new Twin(new Tensor(whole.ref().storage(), whole.ref().offset() + offset, s, p),
                new Tensor(whole.got().storage(), whole.got().offset() + offset, s, p), this);
    }

    int models() {
        return whole.ref().shape().dim(0);
    }

    long rowLength() {
        return whole.ref().shape().perModel();
    }

    boolean isGap(int position) {
        return !covered.get(position);
    }
}
