package polygrok.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/** Builds a kernel's parameter list in the order of its C signature (types must match: int, long long, float, double, pointer). */
final class KernelArgs {
    private final List<Pointer> params = new ArrayList<>();
    /** The PTX parameter type of each argument (.u64 for pointers and 64-bit ints), for checks without a GPU. */
    private final List<String> ptxTypes = new ArrayList<>();

    /** The argument values themselves (CUdeviceptr, Integer, Long, Float, Double), for host-side emulation in tests. */
    private final List<Object> values = new ArrayList<>();

    private KernelArgs add(Pointer p, String ptxType, Object value) {
        params.add(p);
        ptxTypes.add(ptxType);
        values.add(value);
        return this;
    }

    KernelArgs ptr(CUdeviceptr p) {
        return add(Pointer.to(p), "u64", p);
    }

    /** A tensor's base pointer followed by its model stride (the {@code T* x, i64 sX} pairs of the kernels). */
    KernelArgs view(DeviceView v) {
        return ptr(v.ptr()).i64(v.modelStride());
    }

    KernelArgs i32(int v) {
        return add(Pointer.to(new int[]{v}), "u32", v);
    }

    KernelArgs i64(long v) {
        return add(Pointer.to(new long[]{v}), "u64", v);
    }

    KernelArgs f32(float v) {
        return add(Pointer.to(new float[]{v}), "f32", v);
    }

    KernelArgs f64(double v) {
        return add(Pointer.to(new double[]{v}), "f64", v);
    }

    List<String> ptxTypes() {
        return List.copyOf(ptxTypes);
    }

    List<Object> values() {
        return List.copyOf(values);
    }

    int count() {
        return params.size();
    }

    Pointer toPointer() {
        return Pointer.to(params.toArray(new Pointer[0]));
    }
}
