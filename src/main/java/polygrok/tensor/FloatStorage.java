package polygrok.tensor;

/** Heap storage of floats, used by the CPU backends. */
public final class FloatStorage implements Storage {
    public final float[] data;

    public FloatStorage(long length) {
        this.data = new float[Math.toIntExact(length)];
    }

    public FloatStorage(float[] data) {
        this.data = data;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }
}
