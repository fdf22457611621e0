/**
 * The cuda backend: float32 device tensors and polygrok's own kernels (src/main/cuda, one family per
 * file, compiled by nvcc during the build to PTX for compute_90 and an sm_90 cubin), driven through the
 * JCuda driver API.
 *
 * <ul>
 *   <li>{@link polygrok.backend.cuda.CudaBackend} is a façade that only dispatches: each op checks its
 *   shapes against the contract all backends share ({@link polygrok.backend.OpShapes}) and calls one
 *   collaborator.</li>
 *   <li>{@code CudaDevice} owns the device's primary context and the one non-default stream on which
 *   every kernel runs; {@code CudaMemory} the allocations ({@link polygrok.backend.cuda.DeviceStorage})
 *   and the copies to and from the host; {@code Scratch} the grow-only work buffers; {@code GraphCache}
 *   the CUDA graphs of {@code runRepeatable} (first call direct, second captured, later replayed).</li>
 *   <li>One launcher class per kernel family owns the grid arithmetic and checks every launch; matrix
 *   products go through {@code Gemm}, chosen by {@code GemmChoice}: our tiled kernels by default
 *   ({@code OwnGemm}, whose plan sizes its waves of blocks by the device's SM count), cuBLAS on request.</li>
 *   <li>{@link polygrok.backend.cuda.CudaProbe#whyUnavailable()} says, without throwing, why the backend
 *   cannot run (no driver, no device, kernels not built).</li>
 * </ul>
 *
 * <p>System properties, each read once when the backend opens:
 * <ul>
 *   <li>{@code -Dpolygrok.cuda.gemm=own|tf32x3|cublas|auto} (default {@code own}): the matrix products.
 *   {@code own} is our tiled kernels; {@code tf32x3} runs their 128-wide tiles on the tensor cores (each
 *   float as two TF32 parts, three MMAs per product); {@code cublas} is cuBLAS and fails when JCublas or
 *   libcublas.so.12 does not load; {@code auto} takes cuBLAS where it loads, else ours, and logs which.</li>
 *   <li>{@code -Dpolygrok.cuda.tokenTables=true} (default false): the first block's attention reads
 *   per-vocabulary tables ({@code Backend.tokenTables()}); off until that composition has run on a GPU.</li>
 *   <li>{@code -Dpolygrok.cuda.sync=true} (default false): wait after every launch outside graph capture,
 *   so that a failing kernel is named.</li>
 *   <li>{@code -Dpolygrok.cuda.profile=true} (default false): time every kernel with events (repeatable
 *   steps run directly instead of as graphs) and print GPU time per kernel and grid to standard error when
 *   the backend closes.</li>
 * </ul>
 *
 * <p>Differences from cpuref by design: float32 storage; a token or label outside the vocabulary gives
 * NaN instead of an exception (kernels cannot throw); the embedding backward adds with atomics, so its
 * float sums may differ in the last bits from run to run (all other reductions have a fixed order).
 */
package polygrok.backend.cuda;
