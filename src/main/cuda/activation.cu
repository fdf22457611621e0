// MLP non-linearities between the two GEMMs: ReLU and exact erf GELU.
#include "common.cuh"

// The act argument's codes; ActivationKernels.code sends them (CudaLaunchArithmeticTest reads these lines).
#define ACT_RELU 0
#define ACT_GELU 1

__device__ __forceinline__ float act_value(int act, float x) {
    return act == ACT_RELU ? (x > 0.f ? x : 0.f) : 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
}

__device__ __forceinline__ float act_derivative(int act, float x) {
    if (act == ACT_RELU) return x > 0.f ? 1.f : 0.f;
    return 0.5f * (1.f + erff(x * 0.70710678118654752f)) + x * expf(-0.5f * x * x) * 0.39894228040143268f;
}

extern "C" __global__ void activation_forward(int act, const float* x, i64 sX, float* out, i64 sOut, int n) {
    int j = element_index();
    if (j < n) out[model_offset(sOut) + j] = act_value(act, x[model_offset(sX) + j]);
}

// dX (+)= act'(x) * dOut: accumulate = 1 adds (the Backend contract), 0 overwrites (MLP scratch).
extern "C" __global__ void activation_backward(int act, const float* x, i64 sX, const float* dOut, i64 sG,
                                               float* dX, i64 sDX, int n, int accumulate) {
    int j = element_index();
    if (j >= n) return;
    float g = act_derivative(act, x[model_offset(sX) + j]) * dOut[model_offset(sG) + j];
    float* d = dX + model_offset(sDX) + j;
    *d = accumulate ? *d + g : g;
}
