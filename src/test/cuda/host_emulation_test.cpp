// Checks the kernels of src/main/cuda, run on the CPU by cuda_host_emulation.h, against plain
// double-precision loops. Exercises the index arithmetic, tiling, edges, shuffles and block reductions
// that the Java conformance tests can only check on a GPU. Build and run: run-host-emulation.sh.
#include "cuda_host_emulation.h"

#include <cstdio>
#include <random>
#include <string>

#include "../../main/cuda/adamw.cu"
#include "../../main/cuda/attention.cu"
#include "../../main/cuda/memory.cu"
#include "../../main/cuda/positions.cu"
#include "../../main/cuda/embedding.cu"
#include "../../main/cuda/layer_norm.cu"
#include "../../main/cuda/norms.cu"
#include "../../main/cuda/gemm.cu"
#include "../../main/cuda/gemm_tc.cu"
#include "../../main/cuda/activation.cu"
#include "../../main/cuda/cross_entropy.cu"

static std::mt19937 rng(12345);
static int failures = 0;

static std::vector<float> rnd(size_t n, float scale = 1.f) {
    std::uniform_real_distribution<float> d(-scale, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

static void expect(const std::string& what, const std::vector<double>& ref, const float* got, double atolFactor = 2e-5,
                   double rtol = 1e-4) {
    double mx = 0;
    for (double r : ref) mx = std::max(mx, std::fabs(r));
    int bad = 0;
    for (size_t i = 0; i < ref.size(); i++) {
        double diff = std::fabs(got[i] - ref[i]);
        if (!(diff <= atolFactor * mx + rtol * std::fabs(ref[i]))) {
            if (bad < 3) std::printf("  %s[%zu]: got %.9g, expected %.9g\n", what.c_str(), i, got[i], ref[i]);
            bad++;
        }
    }
    std::printf("%s %s (%zu values)\n", bad ? "FAIL" : "ok  ", what.c_str(), ref.size());
    if (bad) failures++;
}

static dim3 g3(unsigned x, unsigned y = 1, unsigned z = 1) { return dim3{x, y, z}; }
static unsigned cdiv(long n, int b) { return (unsigned) ((n + b - 1) / b); }

// ---- GEMM: every transpose combination, edges, ld larger than the width, batches, beta 0 and 1 ----
// tile: which kernel of the same arguments: 64 sgemm_medium, 128 sgemm_big, 32 sgemm_small,
// TF32X3 sgemm_tf32x3 (128-wide tiles on the tensor cores, gemm_tc.cu)
static const int TF32X3 = -128;
static void gemm_case(int ta, int tb, int rows, int cols, int K, float beta, int pad, int splits = 1, int tile = 64) {
    const bool tc = tile == TF32X3;
    const char* name = tc ? "gemm_tf32x3" : tile == 128 ? "gemm_big" : tile == 32 ? "gemm_small" : "gemm";
    if (tc) tile = 128;
    int batch = 2;
    int lda = (ta ? rows : K) + pad, ldb = (tb ? K : cols) + pad, ldc = cols + pad;
    long sA = (long) lda * (ta ? K : rows) + 5, sB = (long) ldb * (tb ? cols : K) + 3, sC = (long) ldc * rows + 1;
    auto A = rnd(sA * batch), B = rnd(sB * batch), C = rnd(sC * batch);
    if (beta == 0)  // beta 0 must not read C: NaN there would propagate (the gaps between rows stay as they are)
        for (int z = 0; z < batch; z++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) C[z * sC + (long) i * ldc + j] = NAN;
    std::vector<double> ref(C.begin(), C.end());
    for (int z = 0; z < batch; z++)
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < K; k++) {
                    double a = ta ? A[z * sA + (long) k * lda + i] : A[z * sA + (long) i * lda + k];
                    double b = tb ? B[z * sB + (long) j * ldb + k] : B[z * sB + (long) k * ldb + j];
                    s += a * b;
                }
                double& c = ref[z * sC + (long) i * ldc + j];
                c = 1.5 * s + (beta == 0 ? 0 : beta * c);
            }
    std::vector<float> partial((size_t) batch * splits * rows * cols + 1, NAN);
    emu::launch(g3(cdiv(cols, tile), cdiv(rows, tile), batch * splits), 256, [&] {
        auto kernel = tc ? sgemm_tf32x3 : tile == 128 ? sgemm_big : tile == 32 ? sgemm_small : sgemm_medium;
        kernel(ta, tb, rows, cols, K, 1.5f, A.data(), lda, sA, B.data(), ldb, sB, beta, C.data(), ldc, sC, splits,
               partial.data());
    });
    if (splits > 1)
        emu::launch(g3(cdiv((long) rows * cols, 256), batch), 256, [&] {
            gemm_reduce_splits(partial.data(), splits, rows, cols, 1.5f, beta, C.data(), ldc, sC);
        });
    expect(std::string(name) + " splits=" + std::to_string(splits) + " ta=" + std::to_string(ta) + " tb=" + std::to_string(tb) + " " + std::to_string(rows) + "x" +
               std::to_string(cols) + "x" + std::to_string(K) + " beta=" + std::to_string((int) beta) + " pad=" + std::to_string(pad),
           ref, C.data());
}

// ---- attention core: forward vs plain loops; backward vs the chain rule written out ----
static void attention_case(int B, int T, int Tq, int H, int Dh) {
    int M = 2, hd = H * Dh;
    long sQ = (long) B * Tq * hd, sK = (long) B * T * hd, sP = (long) B * H * Tq * T, sZ = sQ;
    auto q = rnd(M * sQ), k = rnd(M * sK), v = rnd(M * sK), pattern = rnd(M * sP), z = rnd(M * sZ);
    float scale = 1.f / std::sqrt((float) Dh);
    emu::launch(g3(cdiv((long) B * H * Tq * 32, 128), M), 128, [&] {
        attention_forward(q.data(), sQ, k.data(), sK, v.data(), sK, pattern.data(), sP, z.data(), sZ, B, T, Tq, H, Dh, scale);
    });
    std::vector<double> refP(M * sP), refZ(M * sZ);
    auto dz = rnd(M * sZ);
    std::vector<double> refDq(M * sQ, 0), refDk(M * sK, 0), refDv(M * sK, 0);
    for (int m = 0; m < M; m++)
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int qi = 0; qi < Tq; qi++) {
                    int p = T - Tq + qi;
                    auto Q = [&](int i) { return (double) q[m * sQ + ((b * Tq + qi) * H + h) * Dh + i]; };
                    auto Kk = [&](int kj, int i) { return (double) k[m * sK + ((b * T + kj) * H + h) * Dh + i]; };
                    auto Vv = [&](int kj, int i) { return (double) v[m * sK + ((b * T + kj) * H + h) * Dh + i]; };
                    std::vector<double> s(T, 0);
                    double mx = -1e300, sum = 0;
                    for (int kj = 0; kj <= p; kj++) {
                        for (int i = 0; i < Dh; i++) s[kj] += Q(i) * Kk(kj, i);
                        s[kj] *= scale;
                        mx = std::max(mx, s[kj]);
                    }
                    for (int kj = 0; kj <= p; kj++) { s[kj] = std::exp(s[kj] - mx); sum += s[kj]; }
                    for (int kj = 0; kj < T; kj++) refP[m * sP + ((b * H + h) * Tq + qi) * T + kj] = kj <= p ? s[kj] / sum : 0;
                    for (int i = 0; i < Dh; i++) {
                        double acc = 0;
                        for (int kj = 0; kj <= p; kj++) acc += s[kj] / sum * Vv(kj, i);
                        refZ[m * sZ + (b * Tq + qi) * hd + h * Dh + i] = acc;
                    }
                    // backward of z = sum_kj P v with P = softmax(scale q.k)
                    const float* g = &dz[m * sZ + (b * Tq + qi) * hd + h * Dh];
                    std::vector<double> dP(T, 0);
                    double dot = 0;
                    for (int kj = 0; kj <= p; kj++) {
                        double P = s[kj] / sum;
                        for (int i = 0; i < Dh; i++) {
                            dP[kj] += g[i] * Vv(kj, i);
                            refDv[m * sK + ((b * T + kj) * H + h) * Dh + i] += P * g[i];
                        }
                        dot += P * dP[kj];
                    }
                    for (int kj = 0; kj <= p; kj++) {
                        double dS = s[kj] / sum * (dP[kj] - dot) * scale;
                        for (int i = 0; i < Dh; i++) {
                            refDq[m * sQ + ((b * Tq + qi) * H + h) * Dh + i] += dS * Kk(kj, i);
                            refDk[m * sK + ((b * T + kj) * H + h) * Dh + i] += dS * Q(i);
                        }
                    }
                }
    std::string tag = " B=" + std::to_string(B) + " T=" + std::to_string(T) + " Tq=" + std::to_string(Tq);
    expect("attention_forward pattern" + tag, refP, pattern.data());
    expect("attention_forward z" + tag, refZ, z.data());
    auto dq = rnd(M * sQ), dk = rnd(M * sK), dv = rnd(M * sK);  // garbage: the kernel overwrites
    emu::launch(g3(cdiv((long) B * H * 32, 128), M), 128, [&] {
        attention_backward(q.data(), sQ, k.data(), sK, v.data(), sK, pattern.data(), sP, dz.data(), sZ, dq.data(), sQ,
                           dk.data(), sK, dv.data(), sK, B, T, Tq, H, Dh, scale);
    });
    expect("attention_backward dq" + tag, refDq, dq.data());
    expect("attention_backward dk" + tag, refDk, dk.data());
    expect("attention_backward dv" + tag, refDv, dv.data());
}

// ---- cross-entropy: rows by warps (shuffles), loss by a block reduction ----
static void cross_entropy_case(int B, int V) {
    int M = 2;
    auto z = rnd((long) M * B * V, 4.f);
    for (int c = 0; c < V; c++) z[c] = c % 3 == 1 ? 2.f : 1.f;  // ties in row 0: first maximum wins (c = 1)
    std::vector<int> y(M * B);
    for (auto& l : y) l = (int) (rng() % V);
    y[0] = 1;
    auto w = rnd(M * B, 1.f / B);
    std::vector<float> pe(M * B * 3), loss(M * 4, -7.f), dz = rnd((long) M * B * V, 0.01f);
    std::vector<double> wce(M * B);
    emu::launch(g3(cdiv(B, 4), M), 128, [&] {
        cross_entropy_forward_rows(z.data(), (long) B * V, y.data(), B, w.data(), B, pe.data(), (long) B * 3, wce.data(), B, V);
    });
    emu::launch(g3(M), 256, [&] { cross_entropy_reduce_loss(wce.data(), B, loss.data(), 4); });
    std::vector<double> refPe(M * B * 3), refLoss(M * 4, -7.0);
    std::vector<double> refDz(dz.begin(), dz.end());
    for (int m = 0; m < M; m++) {
        double total = 0;
        for (int e = 0; e < B; e++) {
            const float* r = &z[((long) m * B + e) * V];
            int arg = 0;
            for (int c = 1; c < V; c++) if (r[c] > r[arg]) arg = c;
            double mx = r[arg], s = 0;
            for (int c = 0; c < V; c++) s += std::exp(r[c] - mx);
            int label = y[m * B + e];
            double ce = mx + std::log(s) - r[label];
            refPe[(m * B + e) * 3] = ce;
            refPe[(m * B + e) * 3 + 1] = std::exp(-ce);
            refPe[(m * B + e) * 3 + 2] = arg == label;
            total += w[m * B + e] * ce;
            for (int c = 0; c < V; c++)
                refDz[((long) m * B + e) * V + c] += w[m * B + e] * (std::exp(r[c] - mx) / s - (c == label));
        }
        refLoss[m * 4] = total;
    }
    std::string tag = " B=" + std::to_string(B) + " V=" + std::to_string(V);
    expect("cross_entropy perExample" + tag, refPe, pe.data());
    expect("cross_entropy loss" + tag, refLoss, loss.data());
    emu::launch(g3(cdiv(B, 4), M), 128, [&] {
        cross_entropy_backward(z.data(), (long) B * V, y.data(), B, w.data(), B, dz.data(), (long) B * V, B, V);
    });
    expect("cross_entropy backward" + tag, refDz, dz.data());
}

// ---- LayerNorm: warp rows and the column kernel ----
static void layer_norm_case(int N, int D) {
    int M = 2;
    auto x = rnd((long) M * N * D, 2.f), w = rnd(M * D), b = rnd(M * D), g = rnd((long) M * N * D);
    std::vector<float> mean(M * N), rstd(M * N), out((long) M * N * D);
    auto dx = rnd((long) M * N * D, 0.1f), dw = rnd(M * D, 0.1f), db = rnd(M * D, 0.1f);
    std::vector<double> rMean(M * N), rRstd(M * N), rOut(out.size()), rDx(dx.begin(), dx.end()), rDw(dw.begin(), dw.end()),
        rDb(db.begin(), db.end());
    float eps = 1e-5f;
    emu::launch(g3(cdiv(N, 8), M), 256, [&] {
        layer_norm_forward(x.data(), (long) N * D, w.data(), D, b.data(), D, eps, mean.data(), N, rstd.data(), N, out.data(),
                           (long) N * D, N, D);
    });
    for (int m = 0; m < M; m++)
        for (int r = 0; r < N; r++) {
            const float* xr = &x[((long) m * N + r) * D];
            double s = 0, v = 0;
            for (int j = 0; j < D; j++) s += xr[j];
            double mu = s / D;
            for (int j = 0; j < D; j++) v += (xr[j] - mu) * (xr[j] - mu);
            double rs = 1 / std::sqrt(v / D + eps);
            rMean[m * N + r] = mu;
            rRstd[m * N + r] = rs;
            const float* gr = &g[((long) m * N + r) * D];
            double sg = 0, sgx = 0;
            for (int j = 0; j < D; j++) {
                double xh = (xr[j] - mu) * rs, gx = gr[j] * w[m * D + j];
                rOut[((long) m * N + r) * D + j] = xh * w[m * D + j] + b[m * D + j];
                rDw[m * D + j] += gr[j] * xh;
                rDb[m * D + j] += gr[j];
                sg += gx;
                sgx += gx * xh;
            }
            for (int j = 0; j < D; j++) {
                double xh = (xr[j] - mu) * rs, gx = gr[j] * w[m * D + j];
                rDx[((long) m * N + r) * D + j] += rs * (gx - sg / D - xh * sgx / D);
            }
        }
    std::string tag = " N=" + std::to_string(N) + " D=" + std::to_string(D);
    expect("layer_norm mean" + tag, rMean, mean.data());
    expect("layer_norm rstd" + tag, rRstd, rstd.data());
    expect("layer_norm out" + tag, rOut, out.data());
    emu::launch(g3(cdiv(N, 8), M), 256, [&] {
        layer_norm_backward_input(x.data(), (long) N * D, w.data(), D, mean.data(), N, rstd.data(), N, g.data(), (long) N * D,
                                  dx.data(), (long) N * D, N, D);
    });
    emu::launch(g3(cdiv(D, 256), M), 256, [&] {
        layer_norm_backward_params(x.data(), (long) N * D, mean.data(), N, rstd.data(), N, g.data(), (long) N * D, dw.data(), D,
                                   db.data(), D, N, D);
    });
    expect("layer_norm dX" + tag, rDx, dx.data());
    expect("layer_norm dW" + tag, rDw, dw.data());
    expect("layer_norm dB" + tag, rDb, db.data());
}

// ---- Lp penalty: block reduction per model ----
static void lp_case(int P, double p) {
    int M = 3;
    long sW = P + 9;
    auto w = rnd(M * sW), g = rnd(M * sW, 0.1f);
    std::vector<float> mask(P), pen(M * 2, -1.f);
    for (int j = 0; j < P; j++) mask[j] = j % 7 == 3 ? 0.f : 1.f;
    std::vector<double> rG(g.begin(), g.end()), rPen(M * 2, -1.0);
    double alpha = 0.01;
    for (int m = 0; m < M; m++) {
        double s = 0;
        for (int j = 0; j < P; j++) {
            if (mask[j] == 0) continue;
            double x = w[m * sW + j];
            s += std::pow(std::fabs(x), p);
            rG[m * sW + j] += alpha * p * std::pow(std::fabs(x), p - 1) * (x > 0 ? 1 : x < 0 ? -1 : 0);
        }
        rPen[m * 2] = alpha * s;
    }
    emu::launch(g3(M), 256, [&] { lp_penalty(w.data(), sW, mask.data(), g.data(), sW, pen.data(), 2, P, p, alpha); });
    expect("lp_penalty penalty p=" + std::to_string(p), rPen, pen.data());
    expect("lp_penalty grads p=" + std::to_string(p), rG, g.data());
}

// ---- the metrics' weight norms: stretches of each model's block, one of them empty ----
static void norms_case() {
    int M = 3;
    std::vector<int> offsets = {0, 9, 9, 300, 1037};
    int S = (int) offsets.size() - 1;
    long sW = offsets.back() + 5, sOut = S * 2 + 1;
    auto w = rnd(M * sW);
    std::vector<float> out(M * sOut, -1.f);
    std::vector<double> ref(out.begin(), out.end());
    for (int m = 0; m < M; m++)
        for (int s = 0; s < S; s++) {
            double l1 = 0, l2 = 0;
            for (int i = offsets[s]; i < offsets[s + 1]; i++) {
                l1 += std::fabs(w[m * sW + i]);
                l2 += (double) w[m * sW + i] * w[m * sW + i];
            }
            ref[m * sOut + s * 2] = l1;
            ref[m * sOut + s * 2 + 1] = std::sqrt(l2);
        }
    emu::launch(g3(S, M), 256, [&] { param_norms(w.data(), sW, offsets.data(), out.data(), sOut); });
    expect("param_norms", ref, out.data(), 0, 1e-6);
}

// ---- embedding scatter-add with repeated tokens ----
static void embedding_case() {
    int M = 2, n = 12, D = 5, V = 7;
    long sW = D * V + 4;
    std::vector<int> tok(M * n);
    for (auto& t : tok) t = (int) (rng() % V);
    tok[0] = tok[1] = tok[2] = 3;
    auto wE = rnd(M * sW), dOut = rnd((long) M * n * D), dW = rnd(M * sW);
    std::vector<float> out((long) M * n * D);
    std::vector<double> rOut(out.size()), rDW(dW.begin(), dW.end());
    for (int m = 0; m < M; m++)
        for (int e = 0; e < n; e++)
            for (int j = 0; j < D; j++) {
                rOut[(m * n + e) * D + j] = wE[m * sW + j * V + tok[m * n + e]];
                rDW[m * sW + j * V + tok[m * n + e]] += dOut[(m * n + e) * D + j];
            }
    emu::launch(g3(cdiv(n * D, 256), M), 256, [&] { embed_forward(wE.data(), sW, tok.data(), n, out.data(), n * D, n, D, V); });
    emu::launch(g3(cdiv(n * D, 256), M), 256, [&] { embed_backward(dOut.data(), n * D, tok.data(), n, dW.data(), sW, n, D, V); });
    expect("embed_forward", rOut, out.data());
    expect("embed_backward", rDW, dW.data());
}

int main() {
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            gemm_case(ta, tb, 70, 130, 67, 0.f, 0);
            gemm_case(ta, tb, 5, 3, 17, 1.f, 3);
        }
    gemm_case(0, 1, 1, 1, 1, 0.f, 0);
    gemm_case(1, 0, 64, 64, 16, 1.f, 0);
    gemm_case(0, 0, 65, 1, 0, 1.f, 2);  // K = 0: C = beta C
    gemm_case(1, 0, 70, 9, 1100, 1.f, 1, 3);  // split K with an uneven last stretch
    gemm_case(1, 0, 5, 4, 100, 0.f, 0, 7);    // more splits than K slices: some stretches are empty
    gemm_case(0, 1, 3, 66, 2049, 1.f, 2, 4);
    // the 128 x 128 kernel: tiles crossed on both axes, K not a multiple of its slices of 8, every
    // transpose, beta 0 (C garbage, never read) and 1, padded leading dimensions, split K
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            gemm_case(ta, tb, 131, 259, 37, 0.f, 0, 1, 128);
            gemm_case(ta, tb, 7, 5, 19, 1.f, 3, 1, 128);
            gemm_case(ta, tb, 129, 130, 300, 1.f, 1, 3, 128);
        }
    gemm_case(0, 0, 128, 128, 8, 0.f, 0, 1, 128);    // exact tile, a single slice
    gemm_case(1, 0, 65, 3, 0, 1.f, 2, 1, 128);      // K = 0: C = beta C
    gemm_case(1, 0, 5, 4, 60, 0.f, 0, 9, 128);      // more splits than slices: some stretches are empty
    // the tensor-core kernel: the 128 x 128 kernel's checks; the tolerance (2e-5 of the largest value)
    // holds for the three-term split and fails for plain TF32 (about 5e-4 relative per product)
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            gemm_case(ta, tb, 131, 259, 37, 0.f, 0, 1, TF32X3);
            gemm_case(ta, tb, 7, 5, 19, 1.f, 3, 1, TF32X3);
        }
    gemm_case(1, 0, 129, 130, 300, 1.f, 1, 3, TF32X3);  // split K (each emulated MMA is slow: two transposes only)
    gemm_case(0, 1, 129, 130, 300, 1.f, 1, 3, TF32X3);
    gemm_case(0, 0, 128, 128, 8, 0.f, 0, 1, TF32X3);
    gemm_case(1, 0, 65, 3, 0, 1.f, 2, 1, TF32X3);
    gemm_case(1, 0, 5, 4, 60, 0.f, 0, 9, TF32X3);
    // the 32 x 32 kernel: the same checks, with sizes crossing its tiles (33, 65, 97) and split K
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            gemm_case(ta, tb, 33, 97, 45, 0.f, 0, 1, 32);
            gemm_case(ta, tb, 5, 3, 17, 1.f, 3, 1, 32);
            gemm_case(ta, tb, 65, 31, 300, 1.f, 1, 2, 32);
        }
    gemm_case(0, 0, 32, 32, 16, 0.f, 0, 1, 32);      // exact tile, a single slice
    gemm_case(1, 1, 64, 96, 32, 0.f, 2, 1, 32);      // whole tiles on both axes, padded
    gemm_case(0, 1, 65, 3, 0, 1.f, 2, 1, 32);        // K = 0: C = beta C
    gemm_case(1, 0, 40, 30, 1500, 0.f, 1, 11, 32);   // split K with an uneven last stretch
    gemm_case(0, 0, 5, 4, 60, 1.f, 0, 9, 32);        // more splits than slices: some stretches are empty
    attention_case(3, 3, 3, 2, 5);
    attention_case(3, 3, 1, 2, 5);
    attention_case(2, 5, 5, 3, 4);
    attention_case(2, 5, 1, 3, 4);
    attention_case(2, 3, 3, 2, 40);  // a head wider than a warp: lanes loop over the head dimension
    attention_case(2, 3, 1, 2, 40);
    cross_entropy_case(9, 103);
    cross_entropy_case(5, 7);
    layer_norm_case(11, 37);
    lp_case(700, 2.0);
    lp_case(300, 1.0);
    embedding_case();
    norms_case();
    std::printf(failures ? "%d check(s) FAILED\n" : "all kernel checks passed\n", failures);
    return failures ? 1 : 0;
}
