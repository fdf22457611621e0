// LayerNorm over the last axis: forward (saving mean and 1/std), the input gradient, and the
// gradients of the weight and bias. Grid: as in common.cuh (y is the model index).
#include "common.cuh"

// LayerNorm forward, one warp per row of x [N, D]; w, b [D]; mean, rstd [N].
extern "C" __global__ void layer_norm_forward(const float* x, i64 sX, const float* w, i64 sW, const float* bias, i64 sB,
                                              float eps, float* mean, i64 sMean, float* rstd, i64 sRstd,
                                              float* out, i64 sOut, int N, int D) {
    int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= N) return;  // whole warps leave together: row is uniform across a warp
    const float* xr = x + model_offset(sX) + (i64) row * D;
    float s = 0.f;
    for (int j = lane; j < D; j += 32) s += xr[j];
    float mu = warp_sum(s) / D;
    float v = 0.f;
    for (int j = lane; j < D; j += 32) { float c = xr[j] - mu; v += c * c; }
    float r = rsqrtf(warp_sum(v) / D + eps);
    const float* wr = w + model_offset(sW);
    const float* br = bias + model_offset(sB);
    float* o = out + model_offset(sOut) + (i64) row * D;
    for (int j = lane; j < D; j += 32) o[j] = (xr[j] - mu) * r * wr[j] + br[j];
    if (lane == 0) {
        mean[model_offset(sMean) + row] = mu;
        rstd[model_offset(sRstd) + row] = r;
    }
}

// LayerNorm backward into dX (adds), one warp per row.
extern "C" __global__ void layer_norm_backward_input(const float* x, i64 sX, const float* w, i64 sW,
                                                     const float* mean, i64 sMean, const float* rstd, i64 sRstd,
                                                     const float* dOut, i64 sDOut, float* dX, i64 sDX, int N, int D) {
    int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= N) return;
    const float* xr = x + model_offset(sX) + (i64) row * D;
    const float* gr = dOut + model_offset(sDOut) + (i64) row * D;
    const float* wr = w + model_offset(sW);
    float mu = mean[model_offset(sMean) + row], r = rstd[model_offset(sRstd) + row];
    float sumG = 0.f, sumGX = 0.f;
    for (int j = lane; j < D; j += 32) {
        float xhat = (xr[j] - mu) * r, gxhat = gr[j] * wr[j];
        sumG += gxhat;
        sumGX += gxhat * xhat;
    }
    sumG = warp_sum(sumG);
    sumGX = warp_sum(sumGX);
    float* dxr = dX + model_offset(sDX) + (i64) row * D;
    for (int j = lane; j < D; j += 32) {
        float xhat = (xr[j] - mu) * r, gxhat = gr[j] * wr[j];
        dxr[j] += r * (gxhat - sumG / D - xhat * sumGX / D);
    }
}

// LayerNorm weight and bias gradients (adds): one thread per column j, rows summed in order
// (deterministic, no atomics).
extern "C" __global__ void layer_norm_backward_params(const float* x, i64 sX, const float* mean, i64 sMean,
                                                      const float* rstd, i64 sRstd, const float* dOut, i64 sDOut,
                                                      float* dW, i64 sDW, float* dB, i64 sDB, int N, int D) {
    int j = element_index();
    if (j >= D) return;
    const float* xm = x + model_offset(sX);
    const float* gm = dOut + model_offset(sDOut);
    const float* mm = mean + model_offset(sMean);
    const float* rm = rstd + model_offset(sRstd);
    float gw = 0.f, gb = 0.f;
    for (int row = 0; row < N; row++) {
        float g = gm[(i64) row * D + j];
        gw += g * (xm[(i64) row * D + j] - mm[row]) * rm[row];
        gb += g;
    }
    dW[model_offset(sDW) + j] += gw;
    dB[model_offset(sDB) + j] += gb;
}
