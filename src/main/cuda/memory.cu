// The memory family: fill, copy, add (and hold_stream, which keeps the stream waiting for the profile).
// Grid: x covers one model's elements, y is the model index. See common.cuh.
#include "common.cuh"

// Keeps the stream busy for about `cycles` clock ticks (one thread). The kernel profile launches it before
// each repeatable step so that the host queues the whole step while the GPU waits: the kernels then run
// back to back and each one's events measure the kernel alone, not the host's launch gaps.
extern "C" __global__ void hold_stream(long long cycles) {
    long long start = clock64();
    while (clock64() - start < cycles) {
    }
}

extern "C" __global__ void fill_f32(float* x, i64 sX, int n, float value) {
    int j = element_index();
    if (j < n) x[model_offset(sX) + j] = value;
}

extern "C" __global__ void copy_f32(const float* src, i64 sSrc, float* dst, i64 sDst, int n) {
    int j = element_index();
    if (j < n) dst[model_offset(sDst) + j] = src[model_offset(sSrc) + j];
}

// out = a + b; out may alias a or b (each element is read before it is written, by the same thread).
extern "C" __global__ void add_f32(const float* a, i64 sA, const float* b, i64 sB, float* out, i64 sOut, int n) {
    int j = element_index();
    if (j < n) out[model_offset(sOut) + j] = a[model_offset(sA) + j] + b[model_offset(sB) + j];
}
