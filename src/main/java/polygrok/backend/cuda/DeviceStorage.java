package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemFree;

import jcuda.driver.CUdeviceptr;
import polygrok.tensor.DType;
import polygrok.tensor.Storage;

/**
 * One device allocation of 4-byte elements (F32 or I32). Closing it frees the memory; the owning
 * {@link CudaBackend} frees whatever is still open when it closes.
 */
public final class DeviceStorage implements Storage, AutoCloseable {
    /** Bytes per element: both F32 and I32 are 4 bytes. */
    static final int ELEMENT_BYTES = 4;

    private final CUdeviceptr base;
    private final long length;
    private final DType dtype;
    private final Runnable beforeFree;
    private boolean closed;

    DeviceStorage(CUdeviceptr base, long length, DType dtype, Runnable beforeFree) {
        if (dtype == DType.F64) {
            throw new IllegalArgumentException("device storage holds F32 or I32, not " + dtype);
        }
        this.base = base;
        this.length = length;
        this.dtype = dtype;
        this.beforeFree = beforeFree;
    }

    /** Byte offset of element {@code elementOffset}; a pure function so that view arithmetic is testable. */
    static long byteOffset(long elementOffset) {
        if (elementOffset < 0) {
            throw new IllegalArgumentException("negative element offset " + elementOffset);
        }
        return elementOffset * ELEMENT_BYTES;
    }

    /** Device address of element {@code elementOffset}. */
    CUdeviceptr at(long elementOffset) {
        if (closed) {
            throw new IllegalStateException("device storage of " + length + " " + dtype + " used after close");
        }
        if (elementOffset > length) {
            throw new IllegalArgumentException("element offset " + elementOffset + " beyond a storage of " + length);
        }
        return base.withByteOffset(byteOffset(elementOffset));
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    boolean isClosed() {
        return closed;
    }

    /** Frees the memory once the stream has finished with it (the owner synchronizes first). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        beforeFree.run();
        if (length > 0) {
            cuMemFree(base);
        }
    }
}
