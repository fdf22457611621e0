// polygrok's own strided-batched SGEMM, row-major:
//   C[z] = alpha * op(A[z]) * op(B[z]) + beta * C[z],   z = blockIdx.z (the model),
// C is rows x cols (leading dimension ldc); op(A) is rows x K: A[i*lda + k], or A[k*lda + i] when transA;
// op(B) is K x cols: B[k*ldb + j], or B[j*ldb + k] when transB. Batch strides are in elements.
// beta == 0 never reads C (C may hold garbage). Leading dimensions may exceed the logical width, which
// is how strided row subsets (e.g. the last position of every example) are addressed.
//
// Tiles: 64 x 64 outputs per block of 256 threads, 4 x 4 outputs per thread (rows ty + 16 i, columns
// tx + 16 j, so that shared-memory reads are spread over banks), K in slices of 16. Edges are guarded.
//
// Split K: weight gradients have small outputs and a long K (all B*T rows), too few tiles to fill the
// GPU. With splits > 1, blockIdx.z = batch * splits + split; each split sums its own stretch of K and
// stores the raw sums in partial[(batch * splits + split) * rows * cols] (packed, no alpha/beta);
// gemm_reduce_splits then adds the splits in a fixed order, so results are the same bits every run.
#include "common.cuh"

#define TILE 64
#define KS 16

extern "C" __global__ void __launch_bounds__(256)
sgemm_strided_batched(int transA, int transB, int rows, int cols, int K, float alpha,
                      const float* __restrict__ A, int lda, i64 strideA,
                      const float* __restrict__ B, int ldb, i64 strideB,
                      float beta, float* C, int ldc, i64 strideC, int splits, float* partial) {
    __shared__ float As[KS][TILE + 4];
    __shared__ float Bs[KS][TILE + 4];
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int row0 = blockIdx.y * TILE, col0 = blockIdx.x * TILE;
    const int batch = blockIdx.z / splits, split = blockIdx.z % splits;
    A += (i64) batch * strideA;
    B += (i64) batch * strideB;
    C += (i64) batch * strideC;
    // this split's stretch of K, in whole slices
    const int chunk = ((K + splits - 1) / splits + KS - 1) / KS * KS;
    const int kBegin = split * chunk, kEnd = min(K, kBegin + chunk);

    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.f;

    for (int k0 = kBegin; k0 < kEnd; k0 += KS) {
        // 64 x 16 slice of op(A) and 16 x 64 slice of op(B): 1024 elements each, 4 per thread; the
        // thread-to-element map follows the contiguous axis in memory so that loads coalesce.
#pragma unroll
        for (int l = 0; l < 4; l++) {
            int e = tid + 256 * l;
            int r, k;
            if (transA) { r = e % TILE; k = e / TILE; } else { r = e / KS; k = e % KS; }
            int gr = row0 + r, gk = k0 + k;
            float a = 0.f;
            if (gr < rows && gk < kEnd) a = transA ? A[(i64) gk * lda + gr] : A[(i64) gr * lda + gk];
            As[k][r] = a;
            int c;
            if (transB) { c = e / KS; k = e % KS; } else { c = e % TILE; k = e / TILE; }
            int gc = col0 + c;
            gk = k0 + k;
            float b = 0.f;
            if (gc < cols && gk < kEnd) b = transB ? B[(i64) gc * ldb + gk] : B[(i64) gk * ldb + gc];
            Bs[k][c] = b;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < KS; kk++) {
            float a[4], b[4];
#pragma unroll
            for (int i = 0; i < 4; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= rows) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int c = col0 + tx + 16 * j;
            if (c >= cols) continue;
            if (splits > 1) {
                partial[(i64) blockIdx.z * rows * cols + (i64) r * cols + c] = acc[i][j];
            } else {
                float* dst = C + (i64) r * ldc + c;
                *dst = beta == 0.f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *dst;
            }
        }
    }
}

// C = alpha * sum over splits of partial + beta * C, splits added in order. One thread per element of C;
// blockIdx.y is the batch.
extern "C" __global__ void gemm_reduce_splits(const float* partial, int splits, int rows, int cols, float alpha,
                                              float beta, float* C, int ldc, i64 strideC) {
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= rows * cols) return;
    int r = idx / cols, c = idx % cols;
    const float* p = partial + (i64) blockIdx.y * splits * rows * cols + idx;
    float s = 0.f;
    for (int k = 0; k < splits; k++) s += p[(i64) k * rows * cols];
    float* dst = C + (i64) blockIdx.y * strideC + (i64) r * ldc + c;
    *dst = beta == 0.f ? alpha * s : alpha * s + beta * *dst;
}
