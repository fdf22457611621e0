package polygrok.backend.cuda;

import java.lang.reflect.Method;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A float heap standing in for device memory in host-side tests: an address is the byte offset of a
 * null CUdeviceptr, so the launchers' pointer arithmetic (withByteOffset) is exercised unchanged.
 */
final class HostHeap implements Scratch.Allocator {
    final float[] data;
    private int next = 16; // keep address 0 unused

    HostHeap(int floats) {
        data = new float[floats];
    }

    private static final Method BYTE_OFFSET;

    static {
        try {
            BYTE_OFFSET = Pointer.class.getDeclaredMethod("getByteOffset");
            BYTE_OFFSET.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Element index of a pointer into this heap. */
    static int index(CUdeviceptr p) {
        try {
            long bytes = (long) BYTE_OFFSET.invoke(p);
            if (bytes % 4 != 0) {
                throw new IllegalArgumentException("misaligned address " + bytes);
            }
            return Math.toIntExact(bytes / 4);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static CUdeviceptr pointer(int index) {
        return new CUdeviceptr().withByteOffset(4L * index);
    }

    /** A fresh region of {@code floats} elements (NaN-filled, so a read of unwritten memory shows). */
    int region(long floats) {
        int at = next;
        next = Math.toIntExact(next + floats + 8);
        if (next > data.length) {
            throw new IllegalStateException("host heap of " + data.length + " floats exhausted");
        }
        java.util.Arrays.fill(data, at, at + (int) floats, Float.NaN);
        return at;
    }

    @Override
    public CUdeviceptr allocate(long bytes) {
        return pointer(region((bytes + 3) / 4));
    }

    @Override
    public void free(CUdeviceptr p) {
        // a bump heap: nothing to free
    }
}
