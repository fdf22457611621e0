package polygrok.tensor;

/**
 * A view of {@link Storage}: an element offset and a shape whose first axis is the model axis M.
 * Slices of consecutive models may be apart by {@code modelStride} elements rather than packed:
 * parameters of M models live in one block laid out [M][P] (each model's parameters contiguous),
 * so the view of one named parameter has modelStride = P. Within a model, elements are
 * row-major and contiguous.
 */
public final class Tensor {
    private final Storage storage;
    private final long offset;
    private final Shape shape;
    private final long modelStride;

    public Tensor(Storage storage, long offset, Shape shape, long modelStride) {
        if (shape.rank() == 0) {
            throw new IllegalArgumentException("a tensor needs a leading model axis; got shape []");
        }
        long last = offset + (shape.dim(0) - 1L) * modelStride + shape.perModel();
        if (offset < 0 || (shape.size() > 0 && last > storage.length())) {
            throw new IllegalArgumentException("view " + shape + " at offset " + offset + " with model stride " + modelStride
                    + " reaches element " + last + " of a storage of " + storage.length());
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.modelStride = modelStride;
    }

    /** A packed view: models follow one another. */
    public Tensor(Storage storage, long offset, Shape shape) {
        this(storage, offset, shape, shape.perModel());
    }

    public Storage storage() {
        return storage;
    }

    public long offset() {
        return offset;
    }

    public Shape shape() {
        return shape;
    }

    public long modelStride() {
        return modelStride;
    }

    public int models() {
        return shape.dim(0);
    }

    public long perModel() {
        return shape.perModel();
    }

    public long size() {
        return shape.size();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** True when models follow one another with no gap, so the view is one contiguous run. */
    public boolean isPacked() {
        return modelStride == shape.perModel() || shape.dim(0) == 1;
    }

    /** Element offset of model m's first element in the storage. */
    public long base(int m) {
        return offset + m * modelStride;
    }

    /** The same elements under another shape with the same model count and per-model size. */
    public Tensor reshape(Shape to) {
        if (to.dim(0) != shape.dim(0) || to.perModel() != shape.perModel()) {
            throw new IllegalArgumentException("cannot view " + shape + " as " + to);
        }
        return new Tensor(storage, offset, to, modelStride);
    }

    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    @Override
    public String toString() {
        return "Tensor" + shape + "(" + storage.dtype() + (isPacked() ? "" : ", model stride " + modelStride) + ")";
    }
}
