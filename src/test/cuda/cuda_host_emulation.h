// Runs polygrok's CUDA kernels on the CPU for checking their index arithmetic where there is no GPU:
// every CUDA thread of a block is an OS thread, __syncthreads is a block-wide barrier, warp shuffles go
// through a per-warp exchange buffer between two warp barriers. Blocks run one after another, so
// __shared__ arrays can be function statics. Slow, and only for small launches.
#pragma once
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)
#define __restrict__
#define __align__(n) __attribute__((aligned(n)))

struct float4 { float x, y, z, w; };
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }

namespace emu {
inline std::unique_ptr<std::barrier<>> block_barrier;
inline std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
inline std::vector<double> exchange;  // one 8-byte slot per thread of the block

template <class F>
void launch(dim3 grid, unsigned block, F kernel) {
    blockDim = {block, 1, 1};
    gridDim = grid;
    block_barrier = std::make_unique<std::barrier<>>(block);
    warp_barriers.clear();
    for (unsigned w = 0; w < (block + 31) / 32; w++)
        warp_barriers.push_back(std::make_unique<std::barrier<>>(std::min(32u, block - 32 * w)));
    exchange.assign(block, 0.0);
    // One OS thread per thread of a block, for the whole launch: each runs its thread of every block in
    // turn, and a barrier after each block keeps the blocks apart (they share the static __shared__ arrays).
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < block; t++)
        threads.emplace_back([=] {
            threadIdx = {t, 0, 0};
            for (unsigned z = 0; z < grid.z; z++)
                for (unsigned y = 0; y < grid.y; y++)
                    for (unsigned x = 0; x < grid.x; x++) {
                        blockIdx = {x, y, z};
                        kernel();
                        block_barrier->arrive_and_wait();
                    }
        });
    for (auto& th : threads) th.join();
}
}  // namespace emu

inline void __syncthreads() { emu::block_barrier->arrive_and_wait(); }

template <class T>
inline T __shfl_xor_sync(unsigned, T v, int o) {
    unsigned t = threadIdx.x, lane = t % 32, warp = t / 32;
    std::memcpy(&emu::exchange[t], &v, sizeof(T));
    emu::warp_barriers[warp]->arrive_and_wait();
    T out;
    std::memcpy(&out, &emu::exchange[warp * 32 + (lane ^ o)], sizeof(T));
    emu::warp_barriers[warp]->arrive_and_wait();
    return out;
}

inline int min(int a, int b) { return a < b ? a : b; }
// The SM's cycle counter (only hold_stream reads it): nanoseconds of a steady clock stand in for cycles.
inline long long clock64() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
