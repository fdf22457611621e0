// The embedding family: token embedding gather / scatter-add and the positional embedding. blockIdx.y is the model.
#include "common.cuh"

// out[e, j] = W_E[j, tokens[e]]; W_E [D, V], tokens [n], out [n, D]. One thread per (e, j).
// A token outside [0, V) yields NaN (kernels cannot throw; the NaN makes the bad input loud downstream).
extern "C" __global__ void embed_forward(const float* wE, i64 sW, const int* tokens, i64 sTok, float* out, i64 sOut,
                                         int n, int D, int V) {
    int idx = element_index();
    if (idx >= n * D) return;
    int e = idx / D, j = idx % D;
    int tok = tokens[model_offset(sTok) + e];
    out[model_offset(sOut) + idx] = (tok >= 0 && tok < V) ? wE[model_offset(sW) + (i64) j * V + tok] : __int_as_float(0x7fc00000);
}

// dW_E[j, tokens[e]] += dOut[e, j]; repeated tokens collide, hence atomicAdd.
extern "C" __global__ void embed_backward(const float* dOut, i64 sDOut, const int* tokens, i64 sTok, float* dWE, i64 sDW,
                                          int n, int D, int V) {
    int idx = element_index();
    if (idx >= n * D) return;
    int e = idx / D, j = idx % D;
    int tok = tokens[model_offset(sTok) + e];
    if (tok < 0 || tok >= V) return;
    atomicAdd(&dWE[model_offset(sDW) + (i64) j * V + tok], dOut[model_offset(sDOut) + idx]);
}

// x[b, t, j] += W_pos[t, j]; x [B, T, D]. One thread per element of x.
extern "C" __global__ void positional_forward(const float* wPos, i64 sP, float* x, i64 sX, int B, int T, int D) {
    int idx = element_index();
    if (idx >= B * T * D) return;
    int tj = idx % (T * D);
    x[model_offset(sX) + idx] += wPos[model_offset(sP) + tj];
}

// dW_pos[t, j] += sum_b dX[b, t, j]; one thread per (t, j), examples summed in order (deterministic).
extern "C" __global__ void positional_backward(const float* dX, i64 sDX, float* dWPos, i64 sDP, int B, int T, int D) {
    int tj = element_index();
    if (tj >= T * D) return;
    const float* g = dX + model_offset(sDX) + tj;
    float s = 0.f;
    for (int b = 0; b < B; b++) s += g[(i64) b * T * D];
    dWPos[model_offset(sDP) + tj] += s;
}
