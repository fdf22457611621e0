// Elementwise and per-position kernels: fill, copy, add, last position, sum over positions.
// Grid: x covers one model's elements (or rows), y is the model index. See common.cuh.
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

// x [B, T, D] -> out [B, 1, D]; one thread per (b, j).
extern "C" __global__ void last_position_forward(const float* x, i64 sX, float* out, i64 sOut, int B, int T, int D) {
    int idx = element_index();
    if (idx >= B * D) return;
    int b = idx / D, j = idx % D;
    out[model_offset(sOut) + idx] = x[model_offset(sX) + ((i64) b * T + T - 1) * D + j];
}

extern "C" __global__ void last_position_backward(const float* dOut, i64 sDOut, float* dX, i64 sDX, int B, int T, int D) {
    int idx = element_index();
    if (idx >= B * D) return;
    int b = idx / D, j = idx % D;
    dX[model_offset(sDX) + ((i64) b * T + T - 1) * D + j] += dOut[model_offset(sDOut) + idx];
}

// x [B, T, D] -> out [B, D]; one thread per (b, j), summing positions in order.
extern "C" __global__ void sum_positions_forward(const float* x, i64 sX, float* out, i64 sOut, int B, int T, int D) {
    int idx = element_index();
    if (idx >= B * D) return;
    int b = idx / D, j = idx % D;
    const float* row = x + model_offset(sX) + (i64) b * T * D + j;
    float s = 0.f;
    for (int t = 0; t < T; t++) s += row[(i64) t * D];
    out[model_offset(sOut) + idx] = s;
}

// one thread per (b, t, j)
extern "C" __global__ void sum_positions_backward(const float* dOut, i64 sDOut, float* dX, i64 sDX, int B, int T, int D) {
    int idx = element_index();
    if (idx >= B * T * D) return;
    int j = idx % D, b = idx / (T * D);
    dX[model_offset(sDX) + idx] += dOut[model_offset(sDOut) + (i64) b * D + j];
}
