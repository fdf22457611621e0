// polygrok's own strided-batched SGEMM, row-major:
//   C[z] = alpha * op(A[z]) * op(B[z]) + beta * C[z],   z = blockIdx.z (the model),
// C is rows x cols (leading dimension ldc); op(A) is rows x K: A[i*lda + k], or A[k*lda + i] when transA;
// op(B) is K x cols: B[k*ldb + j], or B[j*ldb + k] when transB. Batch strides are in elements.
// beta == 0 never reads C (C may hold garbage). Leading dimensions may exceed the logical width, which
// is how strided row subsets (e.g. the last position of every example) are addressed.
//
// Three kernels with these arguments, differing only in their output tile: sgemm_small (32 x 32),
// sgemm_medium (64 x 64), both instances of sgemm_tiled below, and sgemm_big (128 x 128, further
// down). Larger tiles reuse each loaded element more; smaller ones give more blocks to fill the GPU with.
// OwnGemm.plan chooses.
//
// sgemm_tiled<TILE>: TILE x TILE outputs per block of 256 threads, PT x PT outputs per thread with
// PT = TILE / 16 (rows ty + 16 i, columns tx + 16 j, tx = tid % 16, ty = tid / 16: a half-warp reads 16
// consecutive floats of Bs and one broadcast float of As, so shared-memory reads are free of bank
// conflicts), K in slices of 16. Edges are guarded.
//
// Split K: weight gradients have small outputs and a long K (all B*T rows), too few tiles to fill the
// GPU. With splits > 1, blockIdx.z = batch * splits + split; each split sums its own stretch of K and
// stores the raw sums in partial[(batch * splits + split) * rows * cols] (packed, no alpha/beta);
// gemm_reduce_splits then adds the splits in a fixed order, so results are the same bits every run.
#include "common.cuh"
#include "gemm_staging.cuh"

#define KS 16

template <int TILE>
__device__ __forceinline__ void sgemm_tiled(int transA, int transB, int rows, int cols, int K, float alpha,
                                            const float* __restrict__ A, int lda, i64 strideA,
                                            const float* __restrict__ B, int ldb, i64 strideB,
                                            float beta, float* C, int ldc, i64 strideC, int splits, float* partial) {
    static_assert(TILE % 16 == 0 && TILE * KS % 256 == 0, "a tile is 16 x 16 threads, each loading whole elements");
    constexpr int PT = TILE / 16;              // outputs per thread along each axis
    constexpr int LOADS = TILE * KS / 256;     // elements of each operand's slice per thread
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

    float acc[PT][PT];
#pragma unroll
    for (int i = 0; i < PT; i++)
#pragma unroll
        for (int j = 0; j < PT; j++) acc[i][j] = 0.f;

    for (int k0 = kBegin; k0 < kEnd; k0 += KS) {
        // TILE x 16 slice of op(A) and 16 x TILE slice of op(B): LOADS elements each per thread; the
        // thread-to-element map follows the contiguous axis in memory so that loads coalesce.
#pragma unroll
        for (int l = 0; l < LOADS; l++) {
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
            float a[PT], b[PT];
#pragma unroll
            for (int i = 0; i < PT; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < PT; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < PT; i++)
#pragma unroll
                for (int j = 0; j < PT; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < PT; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= rows) continue;
#pragma unroll
        for (int j = 0; j < PT; j++) {
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

// 64 x 64 tiles, 4 x 4 outputs per thread.
extern "C" __global__ void __launch_bounds__(256)
sgemm_medium(int transA, int transB, int rows, int cols, int K, float alpha,
                      const float* __restrict__ A, int lda, i64 strideA,
                      const float* __restrict__ B, int ldb, i64 strideB,
                      float beta, float* C, int ldc, i64 strideC, int splits, float* partial) {
    sgemm_tiled<64>(transA, transB, rows, cols, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC,
                    splits, partial);
}

// 32 x 32 tiles, 2 x 2 outputs per thread: four times the blocks of the 64 x 64 kernel, for skinny
// products (one model's [2822 x 128] outputs) that would otherwise leave most SMs idle.
extern "C" __global__ void __launch_bounds__(256)
sgemm_small(int transA, int transB, int rows, int cols, int K, float alpha,
            const float* __restrict__ A, int lda, i64 strideA,
            const float* __restrict__ B, int ldb, i64 strideB,
            float beta, float* C, int ldc, i64 strideC, int splits, float* partial) {
    sgemm_tiled<32>(transA, transB, rows, cols, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC,
                    splits, partial);
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

// ---- sgemm_big: the same product and arguments as sgemm_tiled, for products large enough to
// fill the GPU with 128 x 128 tiles (OwnGemm chooses). Each of the 256 threads computes 8 x 8 outputs:
// rows 4 ty + {0..3} and 64 + 4 ty + {0..3}, columns 4 tx + {0..3} and 64 + 4 tx + {0..3} (tx = tid % 16,
// ty = tid / 16). Per K step a thread reads two float4 of A and two of B from shared memory: the 16 tx of a
// half-warp read 256 contiguous bytes of B (no bank conflicts) and each half-warp reads one float4 of A
// (a broadcast). Both operands are stored [k][row or column] in shared memory, A transposed on the way
// in when it is row-major. K goes in slices of 8, double-buffered: the next slice is loaded from global
// memory into registers while the current one is multiplied, then stored to the other buffer, so there is
// one __syncthreads per slice. Every product is a plain float32 fmaf, summed in K order as in sgemm_tiled;
// only the tiling differs. sm_90, -Xptxas -v: 128 registers (126 without the 2-block bound),
// no spills, 16 KiB shared memory.
#define BT 128
#define BK 8

// 2 blocks of 256 threads per SM: at most 128 registers per thread, which the 8 x 8 accumulators fit.
extern "C" __global__ void __launch_bounds__(256, 2)
sgemm_big(int transA, int transB, int rows, int cols, int K, float alpha,
          const float* __restrict__ A, int lda, i64 strideA,
          const float* __restrict__ B, int ldb, i64 strideB,
          float beta, float* C, int ldc, i64 strideC, int splits, float* partial) {
    __shared__ __align__(16) float As[2][BK][BT];
    __shared__ __align__(16) float Bs[2][BK][BT];
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int row0 = blockIdx.y * BT, col0 = blockIdx.x * BT;
    const int batch = blockIdx.z / splits, split = blockIdx.z % splits;
    A += (i64) batch * strideA;
    B += (i64) batch * strideB;
    C += (i64) batch * strideC;
    // this split's stretch of K, in whole slices
    const int chunk = ((K + splits - 1) / splits + BK - 1) / BK * BK;
    const int kBegin = split * chunk, kEnd = min(K, kBegin + chunk);
    // op(A) is k-major in memory when transposed; op(B) when not
    const int aK = transA, bK = !transB;

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] = 0.f;

    float va[4], vb[4];
    int buf = 0;
    if (kBegin < kEnd) {
        big_load(A, lda, aK, row0, rows, kBegin, kEnd, va);
        big_load(B, ldb, bK, col0, cols, kBegin, kEnd, vb);
        big_store(As[0], aK, va);
        big_store(Bs[0], bK, vb);
    }
    __syncthreads();
    for (int k0 = kBegin; k0 < kEnd; k0 += BK) {
        const bool more = k0 + BK < kEnd;
        if (more) {  // next slice into registers while this one is multiplied
            big_load(A, lda, aK, row0, rows, k0 + BK, kEnd, va);
            big_load(B, ldb, bK, col0, cols, k0 + BK, kEnd, vb);
        }
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            const float4 a0 = *reinterpret_cast<const float4*>(&As[buf][kk][4 * ty]);
            const float4 a1 = *reinterpret_cast<const float4*>(&As[buf][kk][64 + 4 * ty]);
            const float4 b0 = *reinterpret_cast<const float4*>(&Bs[buf][kk][4 * tx]);
            const float4 b1 = *reinterpret_cast<const float4*>(&Bs[buf][kk][64 + 4 * tx]);
            const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int i = 0; i < 8; i++)
#pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        if (more) {  // the other buffer was last read before the previous barrier
            big_store(As[buf ^ 1], aK, va);
            big_store(Bs[buf ^ 1], bK, vb);
        }
        __syncthreads();
        buf ^= 1;
    }

#pragma unroll
    for (int i = 0; i < 8; i++) {
        const int r = row0 + (i < 4 ? 4 * ty + i : 64 + 4 * ty + i - 4);
        if (r >= rows) continue;
#pragma unroll
        for (int j = 0; j < 8; j++) {
            const int c = col0 + (j < 4 ? 4 * tx + j : 64 + 4 * tx + j - 4);
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
