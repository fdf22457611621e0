// AdamW over whole parameter blocks [M, P] in one launch.
// Per-model lr, weight decay and step live on the device so that a captured step replays without the host.
#include "common.cuh"

// PyTorch's AdamW: t = step + 1; w -= lr*wd*w; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// w -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). Frozen entries (trainable 0) are untouched.
// Every thread reads the OLD step; adamw_advance_step stores t afterwards (a separate launch, so no
// thread can see a half-updated counter). Grid: x over P, y the model.
extern "C" __global__ void adamw_update(float* w, i64 sW, const float* g, i64 sG, float* m1, i64 sM1, float* m2, i64 sM2,
                                        const float* lr, i64 sLr, const float* wd, i64 sWd, const float* step, i64 sStep,
                                        const float* trainable, int P, float beta1, float beta2, float eps) {
    int j = element_index();
    if (j >= P || trainable[j] == 0.f) return;
    double t = (double) step[model_offset(sStep)] + 1.0;
    float rate = lr[model_offset(sLr)], decay = wd[model_offset(sWd)];
    float bc1 = (float) (1.0 - pow((double) beta1, t));
    float bc2 = (float) (1.0 - pow((double) beta2, t));
    i64 wi = model_offset(sW) + j;
    float gj = g[model_offset(sG) + j];
    float wj = w[wi];
    wj -= rate * decay * wj;
    float mj = beta1 * m1[model_offset(sM1) + j] + (1.f - beta1) * gj;
    float vj = beta2 * m2[model_offset(sM2) + j] + (1.f - beta2) * gj * gj;
    m1[model_offset(sM1) + j] = mj;
    m2[model_offset(sM2) + j] = vj;
    float denom = sqrtf(vj) / sqrtf(bc2) + eps;
    w[wi] = wj - rate / bc1 * mj / denom;
}

// step[m] += 1, one thread per model (blockIdx.y unused: x covers the models).
extern "C" __global__ void adamw_advance_step(float* step, i64 sStep, int M) {
    int m = element_index();
    if (m < M) step[(i64) m * sStep] += 1.f;
}
