package polygrok.tensor;

/** Heap storage of ints, used by the CPU backends. */
public final class IntStorage implements Storage {
    public final int[] data;

    public IntStorage(long length) {
        this.data = new int[Math.toIntExact(length)];
    }

    public IntStorage(int[] data) {
        this.data = data;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public DType dtype() {
        return DType.I32;
    }
}
