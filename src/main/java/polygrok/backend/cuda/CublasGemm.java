package polygrok.backend.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasSetStream;
import static jcuda.jcublas.JCublas2.cublasSgemmStridedBatched;

import java.util.Optional;
import jcuda.Pointer;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * Matrix products through cuBLAS (JCublas2), on the backend's stream. cuBLAS is column-major: a
 * row-major C = op(A) op(B) is the column-major C^T = op(B)^T op(A)^T, so the operands swap places and
 * keep their own transpose flags, with m = cols and n = rows.
 */
final class CublasGemm implements Gemm {
    private final cublasHandle handle;

    private CublasGemm(cublasHandle handle) {
        this.handle = handle;
    }

    /** A cuBLAS GEMM bound to {@code stream}, or the reason there is none (the library or its binding did not load). */
    static Result open(CUstream stream) {
        try {
            JCublas2.setExceptionsEnabled(true);
            cublasHandle h = new cublasHandle();
            cublasCreate(h);
            cublasSetStream(h, new cudaStream_t(stream));
            return new Result(Optional.of(new CublasGemm(h)), null);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, CudaException: all mean "not here"
            return new Result(Optional.empty(), t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }

    record Result(Optional<CublasGemm> gemm, String whyNot) {
    }

    @Override
    public String name() {
        return "cublas";
    }

    static int op(Operand o) {
        return o.transposed() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    }

    @Override
    public void run(int rows, int cols, int k, float alpha, Operand a, Operand b, float beta, Operand c, int batch) {
        if (rows == 0 || cols == 0 || batch == 0) {
            return;
        }
        int status = cublasSgemmStridedBatched(handle, op(b), op(a), cols, rows, k,
                Pointer.to(new float[]{alpha}), b.ptr(), b.ld(), b.batchStride(), a.ptr(), a.ld(), a.batchStride(),
                Pointer.to(new float[]{beta}), c.ptr(), c.ld(), c.batchStride(), batch);
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException("cublasSgemmStridedBatched(" + rows + "x" + cols + "x" + k + ", batch " + batch
                    + ") returned " + cublasStatus.stringFor(status));
        }
    }

    @Override
    public void close() {
        cublasDestroy(handle);
    }
}
