// Fused causal attention core for short contexts (T <= MAX_T). The Q, K, V and output projections are
// GEMMs; these kernels do scores, causal mask, softmax, pattern and mixing, and their backward.
// Layouts per model: q [B, Tq, H, Dh], k and v [B, T, H, Dh], pattern [B, H, Tq, T], z [B, Tq, H*Dh].
// Query qi sits at position p = T - Tq + qi of the context (Tq = 1 when only the last position is a query).
// blockIdx.y is the model.
#include "common.cuh"  // MAX_T

// One warp per (b, h, qi): lanes split the head dimension, so loads and stores of q, k, v and z rows
// coalesce and dot products are warp reductions. Every lane keeps the (few) scores of its query.
extern "C" __global__ void attention_forward(const float* q, i64 sQ, const float* k, i64 sK, const float* v, i64 sV,
                                             float* pattern, i64 sP, float* z, i64 sZ,
                                             int B, int T, int Tq, int H, int Dh, float scale) {
    int idx = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (idx >= B * H * Tq) return;  // whole warps leave together: idx is the same for all lanes
    int qi = idx % Tq, h = (idx / Tq) % H, b = idx / (Tq * H);
    int p = T - Tq + qi, hd = H * Dh;
    const float* qr = q + model_offset(sQ) + ((i64) (b * Tq + qi) * H + h) * Dh;
    const float* km = k + model_offset(sK);
    const float* vm = v + model_offset(sV);
    float scores[MAX_T];
    float mx = -INFINITY;
    for (int kj = 0; kj <= p; kj++) {
        const float* kr = km + ((i64) (b * T + kj) * H + h) * Dh;
        float s = 0.f;
        for (int i = lane; i < Dh; i += 32) s += qr[i] * kr[i];
        scores[kj] = warp_sum(s) * scale;
        mx = fmaxf(mx, scores[kj]);
    }
    float sum = 0.f;
    for (int kj = 0; kj <= p; kj++) { scores[kj] = expf(scores[kj] - mx); sum += scores[kj]; }
    for (int kj = 0; kj <= p; kj++) scores[kj] /= sum;
    float* pr = pattern + model_offset(sP) + ((i64) (b * H + h) * Tq + qi) * T;
    for (int kj = lane; kj < T; kj += 32) {
        float w = 0.f;
        for (int j = 0; j <= p; j++) w = j == kj ? scores[j] : w;  // registers are not indexable by lane
        pr[kj] = w;
    }
    float* zr = z + model_offset(sZ) + (i64) (b * Tq + qi) * hd + h * Dh;
    for (int i = lane; i < Dh; i += 32) {
        float s = 0.f;
        for (int kj = 0; kj <= p; kj++) s += scores[kj] * vm[((i64) (b * T + kj) * H + h) * Dh + i];
        zr[i] = s;
    }
}

// One warp per (b, h): it owns dk, dv of that example and head, so no atomics are needed; lanes split the
// head dimension (each lane owns elements i = lane, lane + 32, ...).
// Overwrites dq [B, Tq, H, Dh], dk, dv [B, T, H, Dh] (scratch, packed per model with the given strides).
// dz [B, Tq, H*Dh] is the gradient of z.
extern "C" __global__ void attention_backward(const float* q, i64 sQ, const float* k, i64 sK, const float* v, i64 sV,
                                              const float* pattern, i64 sP, const float* dz, i64 sDz,
                                              float* dq, i64 sDq, float* dk, i64 sDk, float* dv, i64 sDv,
                                              int B, int T, int Tq, int H, int Dh, float scale) {
    int idx = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (idx >= B * H) return;  // whole warps leave together
    int h = idx % H, b = idx / H, hd = H * Dh;
    const float* qm = q + model_offset(sQ);
    const float* km = k + model_offset(sK);
    const float* vm = v + model_offset(sV);
    float* dqm = dq + model_offset(sDq);
    float* dkm = dk + model_offset(sDk);
    float* dvm = dv + model_offset(sDv);
    for (int kj = 0; kj < T; kj++) {
        i64 o = ((i64) (b * T + kj) * H + h) * Dh;
        for (int i = lane; i < Dh; i += 32) { dkm[o + i] = 0.f; dvm[o + i] = 0.f; }
    }
    for (int qi = 0; qi < Tq; qi++) {
        int p = T - Tq + qi;
        const float* pr = pattern + model_offset(sP) + ((i64) (b * H + h) * Tq + qi) * T;
        const float* dzr = dz + model_offset(sDz) + (i64) (b * Tq + qi) * hd + h * Dh;
        i64 qo = ((i64) (b * Tq + qi) * H + h) * Dh;
        float dScore[MAX_T];
        float dot = 0.f;
        for (int kj = 0; kj <= p; kj++) {
            i64 o = ((i64) (b * T + kj) * H + h) * Dh;
            float pk = pr[kj];
            float dp = 0.f;
            for (int i = lane; i < Dh; i += 32) {
                dp += dzr[i] * vm[o + i];
                dvm[o + i] += pk * dzr[i];
            }
            dScore[kj] = warp_sum(dp);
            dot += pk * dScore[kj];
        }
        for (int kj = 0; kj <= p; kj++) dScore[kj] = pr[kj] * (dScore[kj] - dot) * scale;
        for (int i = lane; i < Dh; i += 32) {
            float s = 0.f;
            for (int kj = 0; kj <= p; kj++) s += dScore[kj] * km[((i64) (b * T + kj) * H + h) * Dh + i];
            dqm[qo + i] = s;
        }
        for (int kj = 0; kj <= p; kj++) {
            i64 o = ((i64) (b * T + kj) * H + h) * Dh;
            for (int i = lane; i < Dh; i += 32) dkm[o + i] += dScore[kj] * qm[qo + i];
        }
    }
}
