// sgemm_tf32x3: the product and arguments of gemm.cu's kernels (row-major, transposes, leading
// dimensions, batch strides, beta == 0 never reads C, split K into `partial`), on the tensor cores.
//
// TF32 keeps 10 of float32's 23 mantissa bits, too few for our float32 contract. So every element is
// split into two TF32 numbers, hi = tf32(x) and lo = tf32(x - hi) (together about 22 bits), and
// a * b = hi_a hi_b + hi_a lo_b + lo_a hi_b (+ lo_a lo_b, about 2^-22 relative, dropped): three
// m16n16k8 MMAs with float32 accumulation per product, the small terms first. That is float32-level
// accuracy at the tensor cores' rate ("3xTF32").
//
// 128 x 128 output tile per block of 256 threads (8 warps), K in slices of 8 (one MMA deep),
// double-buffered through shared memory with sgemm_big's staging (gemm_staging.cuh): the next slice is loaded into registers while
// the current one is multiplied. Both operands are staged [k][row or column]: op(A) as a column-major
// 16 x 8 fragment, op(B) as a row-major 8 x 16 one. Warp w owns rows 32 (w / 2) .. + 32 and columns
// 64 (w % 2) .. + 64 of the tile: 2 x 4 accumulator fragments. The epilogue goes through a per-warp
// 16 x 16 staging area in shared memory, so edges, alpha, beta and split K are handled per element.
#include <mma.h>

#include "common.cuh"
#include "gemm_staging.cuh"

using namespace nvcuda;

#define TC_TILE 128
#define TC_K 8
// Row length of the staged slices: 4 floats of padding shift successive k rows across banks, and keep
// every row start 16-byte aligned (float4 stores; wmma wants ldm a multiple of 4 floats).
#define TC_LD (TC_TILE + 4)

typedef wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::col_major> TcA;
typedef wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> TcB;
typedef wmma::fragment<wmma::accumulator, 16, 16, 8, float> TcAcc;

// hi <- tf32(x), lo <- tf32(x - hi), elementwise over a loaded fragment (hi holds x on entry).
template <class Frag>
__device__ __forceinline__ void tc_split(Frag& hi, Frag& lo) {
#pragma unroll
    for (int i = 0; i < hi.num_elements; i++) {
        const float x = hi.x[i];
        const float h = wmma::__float_to_tf32(x);
        hi.x[i] = h;
        lo.x[i] = wmma::__float_to_tf32(x - h);
    }
}

extern "C" __global__ void __launch_bounds__(256)
sgemm_tf32x3(int transA, int transB, int rows, int cols, int K, float alpha,
             const float* __restrict__ A, int lda, i64 strideA,
             const float* __restrict__ B, int ldb, i64 strideB,
             float beta, float* C, int ldc, i64 strideC, int splits, float* partial) {
    __shared__ __align__(32) float As[2][TC_K][TC_LD];
    __shared__ __align__(32) float Bs[2][TC_K][TC_LD];
    __shared__ __align__(32) float Cs[8][16 * 16];
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int wr = 32 * (warp / 2), wc = 64 * (warp % 2);  // this warp's corner inside the tile
    const int row0 = blockIdx.y * TC_TILE, col0 = blockIdx.x * TC_TILE;
    const int batch = blockIdx.z / splits, split = blockIdx.z % splits;
    A += (i64) batch * strideA;
    B += (i64) batch * strideB;
    C += (i64) batch * strideC;
    // this split's stretch of K, in whole slices
    const int chunk = ((K + splits - 1) / splits + TC_K - 1) / TC_K * TC_K;
    const int kBegin = split * chunk, kEnd = min(K, kBegin + chunk);
    // op(A) is k-major in memory when transposed; op(B) when not
    const int aK = transA, bK = !transB;

    TcAcc acc[2][4];
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) wmma::fill_fragment(acc[i][j], 0.f);

    float va[4], vb[4];
    int buf = 0;
    if (kBegin < kEnd) {
        big_load(A, lda, aK, row0, rows, kBegin, kEnd, va);
        big_load(B, ldb, bK, col0, cols, kBegin, kEnd, vb);
        big_store(As[0], aK, va);
        big_store(Bs[0], bK, vb);
    }
    __syncthreads();
    for (int k0 = kBegin; k0 < kEnd; k0 += TC_K) {
        const bool more = k0 + TC_K < kEnd;
        if (more) {  // next slice into registers while this one is multiplied
            big_load(A, lda, aK, row0, rows, k0 + TC_K, kEnd, va);
            big_load(B, ldb, bK, col0, cols, k0 + TC_K, kEnd, vb);
        }
        TcA aHi[2], aLo[2];
        TcB bHi[4], bLo[4];
#pragma unroll
        for (int i = 0; i < 2; i++) {
            wmma::load_matrix_sync(aHi[i], &As[buf][0][wr + 16 * i], TC_LD);
            tc_split(aHi[i], aLo[i]);
        }
#pragma unroll
        for (int j = 0; j < 4; j++) {
            wmma::load_matrix_sync(bHi[j], &Bs[buf][0][wc + 16 * j], TC_LD);
            tc_split(bHi[j], bLo[j]);
        }
#pragma unroll
        for (int i = 0; i < 2; i++)
#pragma unroll
            for (int j = 0; j < 4; j++) {
                wmma::mma_sync(acc[i][j], aLo[i], bHi[j], acc[i][j]);
                wmma::mma_sync(acc[i][j], aHi[i], bLo[j], acc[i][j]);
                wmma::mma_sync(acc[i][j], aHi[i], bHi[j], acc[i][j]);
            }
        if (more) {  // the other buffer was last read before the previous barrier
            big_store(As[buf ^ 1], aK, va);
            big_store(Bs[buf ^ 1], bK, vb);
        }
        __syncthreads();
        buf ^= 1;
    }

    // epilogue: one 16 x 16 fragment at a time through this warp's staging area
    float* stage = Cs[warp];
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) {
            wmma::store_matrix_sync(stage, acc[i][j], 16, wmma::mem_row_major);
            __syncwarp();
            for (int e = lane; e < 256; e += 32) {
                const int r = row0 + wr + 16 * i + e / 16, c = col0 + wc + 16 * j + e % 16;
                if (r >= rows || c >= cols) continue;
                if (splits > 1) {
                    partial[(i64) blockIdx.z * rows * cols + (i64) r * cols + c] = stage[e];
                } else {
                    float* dst = C + (i64) r * ldc + c;
                    *dst = beta == 0.f ? alpha * stage[e] : alpha * stage[e] + beta * *dst;
                }
            }
            __syncwarp();
        }
}
