// Per-parameter Lp sums over whole parameter blocks [M, P]: the Lp penalty with its gradient, and the
// L1/L2 norms of named stretches for the metrics. Sums in double through block_sum (fixed order).
#include "common.cuh"

// penalty[m] = alpha * sum |w|^p over trainable entries; grads += alpha * p * |w|^(p-1) * sign(w).
// One block per model (blockIdx.x = model), sum in double by block_sum (fixed order, deterministic).
extern "C" __global__ void lp_penalty(const float* w, i64 sW, const float* trainable, float* g, i64 sG,
                                      float* penalty, i64 sPen, int P, double p, double alpha) {
    const float* wm = w + (i64) blockIdx.x * sW;
    float* gm = g + (i64) blockIdx.x * sG;
    double s = 0.0;
    for (int j = threadIdx.x; j < P; j += blockDim.x) {
        if (trainable[j] == 0.f) continue;
        double x = wm[j], ax = fabs(x);
        s += pow(ax, p);
        double sign = x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
        gm[j] += (float) (alpha * p * pow(ax, p - 1) * sign);
    }
    double total = block_sum(s);
    if (threadIdx.x == 0) penalty[(i64) blockIdx.x * sPen] = (float) (alpha * total);
}

// The metrics' weight norms: out[s * 2] = sum |w|, out[s * 2 + 1] = sqrt(sum w^2) over the stretch
// offsets[s] <= i < offsets[s + 1] of each model's parameter block (one stretch per named parameter).
// One block of REDUCE_THREADS threads per (stretch, model): blockIdx.x = stretch, blockIdx.y = model; sums
// in double by block_sum (fixed order, deterministic). offsets [S + 1] is shared by all models.
extern "C" __global__ void param_norms(const float* w, i64 sW, const int* offsets, float* out, i64 sOut) {
    const float* wm = w + model_offset(sW);
    const int s = blockIdx.x, end = offsets[s + 1];
    double a = 0.0, b = 0.0;
    for (int i = offsets[s] + threadIdx.x; i < end; i += blockDim.x) {
        double x = wm[i];
        a += fabs(x);
        b += x * x;
    }
    double l1 = block_sum(a), l2 = block_sum(b);
    if (threadIdx.x == 0) {
        float* o = out + model_offset(sOut) + (i64) s * 2;
        o[0] = (float) l1;
        o[1] = (float) sqrt(l2);
    }
}
