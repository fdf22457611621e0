// Staging of 128 x 8 operand slices into shared memory, shared by gemm.cu's sgemm_big and gemm_tc.cu's
// sgemm_tf32x3 (256 threads; slices stored [k][row or column]).
#pragma once
#include "common.cuh"

// Loads this thread's 4 elements of a 128 x 8 slice (tile rows or columns t0.., K from k0) of an operand
// into v. kMajor: element (t, k) is at P[k * ld + t] (t contiguous: a warp reads 128 floats of one k);
// otherwise at P[t * ld + k] (two threads per t, 4 consecutive k each). Out of range reads as 0.
__device__ __forceinline__ void big_load(const float* __restrict__ P, int ld, int kMajor, int t0, int limit, int k0,
                                         int kEnd, float v[4]) {
    const int tid = threadIdx.x;
    if (kMajor) {
        const int k = k0 + tid / 32, t = t0 + (tid % 32) * 4;
#pragma unroll
        for (int i = 0; i < 4; i++) v[i] = (k < kEnd && t + i < limit) ? P[(i64) k * ld + t + i] : 0.f;
    } else {
        const int t = t0 + tid / 2, k = k0 + (tid % 2) * 4;
#pragma unroll
        for (int i = 0; i < 4; i++) v[i] = (t < limit && k + i < kEnd) ? P[(i64) t * ld + k + i] : 0.f;
    }
}

// Stores what big_load loaded into S[k][t], the slice's shared-memory layout (rows of LD >= 128 floats,
// LD a multiple of 4 so that the float4 stores stay aligned).
template <int LD>
__device__ __forceinline__ void big_store(float (*S)[LD], int kMajor, const float v[4]) {
    const int tid = threadIdx.x;
    if (kMajor) {
        *reinterpret_cast<float4*>(&S[tid / 32][(tid % 32) * 4]) = make_float4(v[0], v[1], v[2], v[3]);
    } else {
        const int t = tid / 2, k = (tid % 2) * 4;
#pragma unroll
        for (int i = 0; i < 4; i++) S[k + i][t] = v[i];
    }
}
