package polygrok.tensor;

/** Heap storage of doubles, used by the CPU backends. */
public final class DoubleStorage implements Storage {
    public final double[] data;

    public DoubleStorage(long length) {
        this.data = new double[Math.toIntExact(length)];
    }

    public DoubleStorage(double[] data) {
        this.data = data;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public DType dtype() {
        return DType.F64;
    }
}
