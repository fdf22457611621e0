package polygrok.backend.cuda;

import jcuda.driver.CUdeviceptr;
import polygrok.tensor.DType;
import polygrok.tensor.Tensor;

/** What a kernel sees of a tensor: the address of model 0's first element and the model stride in elements. */
record DeviceView(CUdeviceptr ptr, long modelStride) {

    static DeviceView of(Tensor t, DType expected) {
        if (!(t.storage() instanceof DeviceStorage s)) {
            throw new IllegalArgumentException("the cuda backend needs its own device tensors, got " + t);
        }
        if (t.dtype() != expected) {
            throw new IllegalArgumentException("expected a " + expected + " tensor, got " + t);
        }
        return new DeviceView(s.at(t.offset()), t.modelStride());
    }

    /** The view of a float32 tensor (short: the cuda backend passes dozens per op). */
    static DeviceView f(Tensor t) {
        return of(t, DType.F32);
    }

    /** The view of an I32 tensor (tokens, labels, offsets). */
    static DeviceView i(Tensor t) {
        return of(t, DType.I32);
    }
}
