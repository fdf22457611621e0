// The part of CUDA's warp matrix API (nvcuda::wmma) that gemm_tc.cu uses, for cuda_host_emulation.h:
// TF32 m16n16k8 fragments, loads, stores, fills and the MMA. A fragment's elements are spread over the
// warp's lanes by a fixed map of our own (element i of lane l is entry 32 i + l of the tile, row-major);
// the hardware's map is unspecified, and a kernel that only loads, stores, fills, multiplies and
// transforms elements one by one (as CUDA allows) cannot tell the two apart. The MMA is warp-collective:
// lanes publish their elements to a per-warp buffer between two warp barriers.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace nvcuda {
namespace wmma {
struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
namespace precision {
struct tf32 {};
}
enum layout_t { mem_row_major, mem_col_major };

template <class Use, int M, int N, int K>
struct tile_shape;  // rows x columns of the tile a fragment holds
template <int M, int N, int K>
struct tile_shape<matrix_a, M, N, K> { static constexpr int rows = M, cols = K; };
template <int M, int N, int K>
struct tile_shape<matrix_b, M, N, K> { static constexpr int rows = K, cols = N; };
template <int M, int N, int K>
struct tile_shape<accumulator, M, N, K> { static constexpr int rows = M, cols = N; };

template <class Use, int M, int N, int K, class T, class Layout = void>
struct fragment {
    static constexpr int rows = tile_shape<Use, M, N, K>::rows, cols = tile_shape<Use, M, N, K>::cols;
    static constexpr int num_elements = rows * cols / 32;
    float x[num_elements];
};

inline unsigned lane_id() { return threadIdx.x % 32; }

// Row and column of this lane's element i.
template <class F>
inline void entry(int i, int& r, int& c) {
    int e = i * 32 + (int) lane_id();
    r = e / F::cols;
    c = e % F::cols;
}

// Round to nearest, ties away from zero, to 10 mantissa bits (cvt.rna.tf32.f32); the result is a float.
inline float __float_to_tf32(float x) {
    uint32_t u;
    std::memcpy(&u, &x, 4);
    if ((u & 0x7f800000u) != 0x7f800000u) u = (u + 0x1000u) & 0xffffe000u;
    float y;
    std::memcpy(&y, &u, 4);
    return y;
}

// An MMA input that was not converted keeps only its top 10 mantissa bits.
inline double tf32_input(float x) {
    uint32_t u;
    std::memcpy(&u, &x, 4);
    u &= 0xffffe000u;
    float y;
    std::memcpy(&y, &u, 4);
    return y;
}

template <class U, int M, int N, int K, class T, class L>
inline void load_matrix_sync(fragment<U, M, N, K, T, L>& f, const float* p, unsigned ldm) {
    using F = fragment<U, M, N, K, T, L>;
    for (int i = 0; i < F::num_elements; i++) {
        int r, c;
        entry<F>(i, r, c);
        f.x[i] = std::is_same<L, col_major>::value ? p[r + (long) c * ldm] : p[(long) r * ldm + c];
    }
}

template <int M, int N, int K, class T>
inline void store_matrix_sync(float* p, const fragment<accumulator, M, N, K, T>& f, unsigned ldm, layout_t layout) {
    using F = fragment<accumulator, M, N, K, T>;
    for (int i = 0; i < F::num_elements; i++) {
        int r, c;
        entry<F>(i, r, c);
        p[layout == mem_row_major ? (long) r * ldm + c : r + (long) c * ldm] = f.x[i];
    }
}

template <class U, int M, int N, int K, class T, class L>
inline void fill_fragment(fragment<U, M, N, K, T, L>& f, float v) {
    for (auto& e : f.x) e = v;
}

// One warp's published tiles: A (M x K), B (K x N), for the MMA in flight. Blocks run one at a time.
inline float mma_a[32][16 * 16], mma_b[32][16 * 16];

template <int M, int N, int K, class LA, class LB>
inline void mma_sync(fragment<accumulator, M, N, K, float>& d, const fragment<matrix_a, M, N, K, precision::tf32, LA>& a,
                     const fragment<matrix_b, M, N, K, precision::tf32, LB>& b,
                     const fragment<accumulator, M, N, K, float>& c) {
    using FA = fragment<matrix_a, M, N, K, precision::tf32, LA>;
    using FB = fragment<matrix_b, M, N, K, precision::tf32, LB>;
    using FC = fragment<accumulator, M, N, K, float>;
    unsigned warp = threadIdx.x / 32;
    for (int i = 0; i < FA::num_elements; i++) {
        int r, k;
        entry<FA>(i, r, k);
        mma_a[warp][r * K + k] = a.x[i];
    }
    for (int i = 0; i < FB::num_elements; i++) {
        int k, col;
        entry<FB>(i, k, col);
        mma_b[warp][k * N + col] = b.x[i];
    }
    emu::warp_barriers[warp]->arrive_and_wait();
    float out[FC::num_elements];
    for (int i = 0; i < FC::num_elements; i++) {
        int r, col;
        entry<FC>(i, r, col);
        double s = 0;  // products of TF32 numbers are exact in double; the sum is rounded once, to float
        for (int k = 0; k < K; k++) s += tf32_input(mma_a[warp][r * K + k]) * tf32_input(mma_b[warp][k * N + col]);
        out[i] = (float) (c.x[i] + s);
    }
    emu::warp_barriers[warp]->arrive_and_wait();
    for (int i = 0; i < FC::num_elements; i++) d.x[i] = out[i];
}
}  // namespace wmma
}  // namespace nvcuda

inline void __syncwarp(unsigned = 0xffffffffu) { emu::warp_barriers[threadIdx.x / 32]->arrive_and_wait(); }
