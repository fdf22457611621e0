// The positions family: the last position of each example and the sum over positions, with their backwards.
// Grid: x covers one model's rows (b, j) or elements (b, t, j), y is the model index. See common.cuh.
#include "common.cuh"

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
