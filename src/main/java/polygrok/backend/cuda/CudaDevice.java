package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * Device 0 as the backend holds it: the primary context, the one non-default stream every kernel runs
 * on, and what the rest of the backend needs to know about the chip (name, compute capability, SM
 * count). A CUDA context is current per thread, so {@link #bind} makes it current on each new thread.
 */
final class CudaDevice implements AutoCloseable {
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String name;
    private final int major;
    private final int minor;
    private final int multiprocessors;
    /** Threads on which the context has been made current. */
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> false);
    private boolean closed;

    /** Opens device 0. Fails with a clear message when there is none; check {@link CudaProbe#whyUnavailable()} first. */
    CudaDevice() {
        CudaProbe.whyUnavailable().ifPresent(why -> {
            throw new IllegalStateException("the cuda backend is unavailable: " + why);
        });
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        cuDeviceGet(device, 0);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT);
        major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        // the GEMM plan sizes its waves of blocks by this (OwnGemm)
        multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        byte[] bytes = new byte[256];
        cuDeviceGetName(bytes, bytes.length, device);
        name = cString(bytes);
        bound.set(true);
    }

    private int attribute(int which) {
        int[] value = {0};
        cuDeviceGetAttribute(value, which, device);
        return value[0];
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    String name() {
        return name;
    }

    int computeMajor() {
        return major;
    }

    int computeMinor() {
        return minor;
    }

    int multiprocessors() {
        return multiprocessors;
    }

    CUstream stream() {
        return stream;
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes the context current on the calling thread (cheap once bound); fails after {@link #close}. */
    void bind() {
        if (closed) {
            throw new IllegalStateException("cuda backend used after close");
        }
        if (!bound.get()) {
            cuCtxSetCurrent(context);
            bound.set(true);
        }
    }

    /** Waits on the host until the stream has finished everything queued on it. */
    void await() {
        cuStreamSynchronize(stream);
    }

    /** Destroys the stream and releases the primary context; everything on the device must be freed first. */
    @Override
    public void close() {
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
        closed = true;
    }
}
