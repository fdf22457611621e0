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

// Sizes the Java launchers must agree with: a launch with more threads than REDUCE_THREADS, or a context
// longer than MAX_T, writes past an array on the GPU. CudaKernelConstantsTest reads these lines and compares
// them with CrossEntropyKernels / AdamWKernels (reduction blocks) and AttentionKernels.MAX_T.
#define REDUCE_THREADS 256
#define MAX_T 16

// Sum of v over the block, a fixed-order tree in shared memory (the same inputs give the same bits), returned
// to every thread. Every thread of the block must call it; blockDim.x must be a power of two and at most
// REDUCE_THREADS. The closing barrier lets a caller reduce again right away (the array is reused).
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double part[REDUCE_THREADS];
    part[threadIdx.x] = v;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
        __syncthreads();
    }
    double total = part[0];
    __syncthreads();
    return total;
}
