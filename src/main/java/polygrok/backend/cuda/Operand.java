package polygrok.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A row-major matrix of a strided batch, as a GEMM reads it: address of batch 0, leading dimension
 * (elements between rows, which may exceed the logical width to address a strided subset of rows),
 * elements between batches (the model stride), and whether the GEMM uses it transposed.
 */
record Operand(CUdeviceptr ptr, int ld, long batchStride, boolean transposed) {
    Operand {
        if (ld < 1) {
            throw new IllegalArgumentException("leading dimension " + ld + " must be positive");
        }
        if (batchStride < 0) {
            throw new IllegalArgumentException("negative batch stride " + batchStride);
        }
    }

    static Operand plain(DeviceView v, int ld) {
        return new Operand(v.ptr(), ld, v.modelStride(), false);
    }

    static Operand transposed(DeviceView v, int ld) {
        return new Operand(v.ptr(), ld, v.modelStride(), true);
    }

    /** The same matrix, its rows every {@code rowStep} rows starting at row {@code firstRow}, as a new row-major view. */
    Operand rows(int firstRow, int rowStep, int width) {
        if (transposed) {
            throw new IllegalStateException("row subsets of a transposed operand are not needed and not supported");
        }
        return new Operand(ptr.withByteOffset(DeviceStorage.byteOffset((long) firstRow * width)), rowStep * width,
                batchStride, false);
    }
}
