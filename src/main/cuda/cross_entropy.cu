// Log-softmax + cross-entropy over V classes, accumulated in double. blockIdx.y is the model unless
// stated. Rows are handled one warp each (blockDim.x a multiple of 32).
#include "common.cuh"

// Per example: perExample[e] = (cross-entropy, probability of the label, argmax == label) and
// weightedCe[m * B + e] = weights[e] * cross-entropy (double scratch, packed [M, B], for the loss).
// Ties in argmax go to the first maximum (torch.argmax). A label outside [0, V) gives NaN.
extern "C" __global__ void cross_entropy_forward_rows(const float* logits, i64 sL, const int* labels, i64 sY,
                                             const float* weights, i64 sW, float* perExample, i64 sPE,
                                             double* weightedCe, int B, int V) {
    int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= B) return;  // row is uniform across a warp
    const float* z = logits + model_offset(sL) + (i64) row * V;
    float best = -INFINITY;
    int arg = 0x7fffffff;
    for (int c = lane; c < V; c += 32) {
        if (z[c] > best || arg == 0x7fffffff) { best = z[c]; arg = c; }
    }
    for (int o = 16; o > 0; o >>= 1) {
        float ob = __shfl_xor_sync(0xffffffffu, best, o);
        int oa = __shfl_xor_sync(0xffffffffu, arg, o);
        if (ob > best || (ob == best && oa < arg)) { best = ob; arg = oa; }
    }
    double mx = best, s = 0.0;
    for (int c = lane; c < V; c += 32) s += exp((double) z[c] - mx);
    s = warp_sum_d(s);
    if (lane == 0) {
        int label = labels[model_offset(sY) + row];
        double ce = (label >= 0 && label < V) ? mx + log(s) - (double) z[label] : nan("");
        float* pe = perExample + model_offset(sPE) + (i64) row * 3;
        pe[0] = (float) ce;
        pe[1] = (float) exp(-ce);
        pe[2] = arg == label ? 1.f : 0.f;
        weightedCe[(i64) blockIdx.y * B + row] = (double) weights[model_offset(sW) + row] * ce;
    }
}

// loss[m] = sum_e weightedCe[m, e]: one block per model (blockIdx.x = model), a fixed-order tree in
// shared memory, so the same inputs give the same bits.
extern "C" __global__ void cross_entropy_reduce_loss(const double* weightedCe, int B, float* loss, i64 sLoss) {
    const double* w = weightedCe + (i64) blockIdx.x * B;
    double s = 0.0;
    for (int e = threadIdx.x; e < B; e += blockDim.x) s += w[e];
    double total = block_sum(s);
    if (threadIdx.x == 0) loss[(i64) blockIdx.x * sLoss] = (float) total;
}

// dLogits[e, c] += weights[e] * (softmax(z)[c] - [c == label]); one warp per row.
extern "C" __global__ void cross_entropy_backward(const float* logits, i64 sL, const int* labels, i64 sY,
                                         const float* weights, i64 sW, float* dLogits, i64 sDL, int B, int V) {
    int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= B) return;
    const float* z = logits + model_offset(sL) + (i64) row * V;
    float mxf = -INFINITY;
    for (int c = lane; c < V; c += 32) mxf = fmaxf(mxf, z[c]);
    for (int o = 16; o > 0; o >>= 1) mxf = fmaxf(mxf, __shfl_xor_sync(0xffffffffu, mxf, o));
    double mx = mxf, s = 0.0;
    for (int c = lane; c < V; c += 32) s += exp((double) z[c] - mx);
    s = warp_sum_d(s);
    double w = weights[model_offset(sW) + row];
    int label = labels[model_offset(sY) + row];
    float* g = dLogits + model_offset(sDL) + (i64) row * V;
    for (int c = lane; c < V; c += 32) {
        double sm = exp((double) z[c] - mx) / s;
        g[c] += (float) (w * (sm - (c == label ? 1.0 : 0.0)));
    }
}
