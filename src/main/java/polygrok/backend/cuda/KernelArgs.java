package polygrok.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/** Builds a kernel's parameter list in the order of its C signature (types must match: int, long long, float, double, pointer). */
final class KernelArgs {
    private final List<Pointer> params = new ArrayList<>();

    KernelArgs ptr(CUdeviceptr p) {
        params.add(Pointer.to(p));
        return this;
    }

    /** A tensor's base pointer followed by its model stride (the {@code T* x, i64 sX} pairs of the kernels). */
    KernelArgs view(DeviceView v) {
        return ptr(v.ptr()).i64(v.modelStride());
    }

    KernelArgs i32(int v) {
        params.add(Pointer.to(new int[]{v}));
        return this;
    }

    KernelArgs i64(long v) {
        params.add(Pointer.to(new long[]{v}));
        return this;
    }

    KernelArgs f32(float v) {
        params.add(Pointer.to(new float[]{v}));
        return this;
    }

    KernelArgs f64(double v) {
        params.add(Pointer.to(new double[]{v}));
        return this;
    }

    int count() {
        return params.size();
    }

    Pointer toPointer() {
        return Pointer.to(params.toArray(new Pointer[0]));
    }
}
