package polygrok.backend.cuda;

/**
 * Strided-batched single-precision matrix product, row-major:
 * C[z] = alpha op(A[z]) op(B[z]) + beta C[z] for z below {@code batch}; op(A) is rows x k, op(B) k x cols.
 * beta = 0 never reads C. Implementations: {@link OwnGemm} (our kernel) and {@link CublasGemm}.
 */
interface Gemm extends AutoCloseable {
    String name();

    void run(int rows, int cols, int k, float alpha, Operand a, Operand b, float beta, Operand c, int batch);

    @Override
    default void close() {
    }
}
