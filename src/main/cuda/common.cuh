// Shared conventions of polygrok's kernels.
// Every tensor argument is a base pointer (model 0's first element) plus a model stride in elements:
// model m's slice starts at base + m * stride, and within a model elements are packed row-major.
// Unless a kernel says otherwise, blockIdx.y is the model index and x covers the elements of one model.
#pragma once

typedef long long i64;

__device__ __forceinline__ i64 model_offset(i64 stride) {
    return (i64) blockIdx.y * stride;
}

__device__ __forceinline__ int element_index() {
    return blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ double warp_sum_d(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}
