package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.BooleanSupplier;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import polygrok.tensor.DType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The backend's device memory: tensors it allocates (kept so that closing the backend frees what is
 * still open), and the copies between host arrays and device tensors. Copies to the device go through
 * the legacy stream synchronously; copies to the host wait for the backend's stream first.
 */
final class CudaMemory implements AutoCloseable {
    private final CudaDevice device;
    /** True while a graph is being captured, when the host must not wait for the stream. */
    private final BooleanSupplier capturing;
    private final Set<DeviceStorage> live = Collections.newSetFromMap(new IdentityHashMap<>());

    CudaMemory(CudaDevice device, BooleanSupplier capturing) {
        this.device = device;
        this.capturing = capturing;
    }

    /** Scratch buffers come straight from the driver: they live until the backend closes. */
    static Scratch.Allocator scratchAllocator() {
        return new Scratch.Allocator() {
            @Override
            public CUdeviceptr allocate(long bytes) {
                CUdeviceptr p = new CUdeviceptr();
                cuMemAlloc(p, bytes);
                return p;
            }

            @Override
            public void free(CUdeviceptr p) {
                cuMemFree(p);
            }
        };
    }

    private static int perModel(Tensor t) {
        return Math.toIntExact(t.perModel());
    }

    private DeviceStorage allocate(long elements, DType type) {
        device.bind();
        CUdeviceptr p = new CUdeviceptr();
        if (elements > 0) {
            cuMemAlloc(p, elements * DeviceStorage.ELEMENT_BYTES);
        }
        DeviceStorage[] self = new DeviceStorage[1];
        self[0] = new DeviceStorage(p, elements, type, () -> {
            device.await(); // the stream may still be using the memory
            live.remove(self[0]);
        });
        live.add(self[0]);
        return self[0];
    }

    Tensor zeros(Shape shape) {
        DeviceStorage s = allocate(shape.size(), DType.F32);
        if (shape.size() > 0) {
            cuMemsetD32Async(s.at(0), 0, shape.size(), device.stream());
        }
        return new Tensor(s, 0, shape);
    }

    Tensor ints(Shape shape, int[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values for I32 shape " + shape);
        }
        DeviceStorage s = allocate(shape.size(), DType.I32);
        if (values.length > 0) {
            // A synchronous copy on the legacy stream: ordered after earlier work of our blocking stream
            // and before later work, without a host wait on the stream.
            cuMemcpyHtoD(s.at(0), Pointer.to(values), (long) values.length * DeviceStorage.ELEMENT_BYTES);
        }
        return new Tensor(s, 0, shape);
    }

    void upload(Tensor dst, double[] values) {
        device.bind();
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        DeviceView v = DeviceView.of(dst, DType.F32);
        int per = perModel(dst);
        float[] f = new float[per];
        for (int m = 0; m < dst.models(); m++) {
            for (int j = 0; j < per; j++) {
                f[j] = (float) values[m * per + j];
            }
            // synchronous legacy-stream copy: see ints()
            cuMemcpyHtoD(v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())), Pointer.to(f),
                    (long) per * DeviceStorage.ELEMENT_BYTES);
        }
    }

    void uploadInts(Tensor dst, int[] values) {
        device.bind();
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        DeviceView v = DeviceView.of(dst, DType.I32);
        int per = perModel(dst);
        for (int m = 0; m < dst.models(); m++) {
            // synchronous legacy-stream copy: see ints()
            cuMemcpyHtoD(v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())),
                    Pointer.to(values).withByteOffset((long) m * per * DeviceStorage.ELEMENT_BYTES),
                    (long) per * DeviceStorage.ELEMENT_BYTES);
        }
    }

    double[] toDoubles(Tensor t) {
        synchronize();
        int per = perModel(t);
        double[] out = new double[Math.toIntExact(t.size())];
        if (t.dtype() == DType.I32) {
            int[] ints = toInts(t);
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i];
            }
            return out;
        }
        DeviceView v = DeviceView.of(t, DType.F32);
        float[] f = new float[per];
        for (int m = 0; m < t.models(); m++) {
            if (per > 0) {
                cuMemcpyDtoH(Pointer.to(f), v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())),
                        (long) per * DeviceStorage.ELEMENT_BYTES);
            }
            for (int j = 0; j < per; j++) {
                out[m * per + j] = f[j];
            }
        }
        return out;
    }

    int[] toInts(Tensor t) {
        synchronize();
        DeviceView v = DeviceView.of(t, DType.I32);
        int per = perModel(t);
        int[] out = new int[Math.toIntExact(t.size())];
        int[] row = new int[per];
        for (int m = 0; m < t.models(); m++) {
            if (per > 0) {
                cuMemcpyDtoH(Pointer.to(row), v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())),
                        (long) per * DeviceStorage.ELEMENT_BYTES);
            }
            System.arraycopy(row, 0, out, m * per, per);
        }
        return out;
    }

    /** Waits for the stream; refused inside graph capture, which cannot record a host wait. */
    void synchronize() {
        device.bind();
        if (capturing.getAsBoolean()) {
            throw new IllegalStateException("synchronize/toDoubles/toInts inside runRepeatable work: a captured graph cannot wait for the host");
        }
        device.await();
    }

    /** Frees every allocation still open. */
    @Override
    public void close() {
        for (DeviceStorage s : new ArrayList<>(live)) {
            s.close();
        }
    }
}
