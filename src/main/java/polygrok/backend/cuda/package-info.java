/**
 * The cuda backend: float32 device tensors and polygrok's own kernels (src/main/cuda, one family per
 * file, compiled by nvcc during the build to PTX for compute_90 and an sm_90 cubin), driven through the
 * JCuda driver API.
 *
 * <ul>
 *   <li>{@link polygrok.backend.cuda.CudaBackend} owns the device's primary context, one non-default
 *   stream on which every kernel runs, the allocations ({@link polygrok.backend.cuda.DeviceStorage}),
 *   grow-only scratch buffers and the CUDA graphs of {@code runRepeatable} (first call direct, second
 *   captured, later replayed).</li>
 *   <li>One launcher class per kernel family owns the grid arithmetic and checks every launch; matrix
 *   products go through {@code Gemm}: our tiled kernel by default, cuBLAS on request.</li>
 *   <li>{@link polygrok.backend.cuda.CudaProbe#whyUnavailable()} says, without throwing, why the backend
 *   cannot run (no driver, no device, kernels not built).</li>
 * </ul>
 *
 * System properties: {@code polygrok.cuda.gemm=own|cublas|auto} (default own; auto takes cuBLAS when
 * JCublas and libcublas.so.12 load, else ours, and logs which), {@code polygrok.cuda.sync=true} (wait
 * after every launch outside graph capture, so that a failing kernel is named).
 *
 * <p>Differences from cpuref by design: float32 storage; a token or label outside the vocabulary gives
 * NaN instead of an exception (kernels cannot throw); the embedding backward adds with atomics, so its
 * float sums may differ in the last bits from run to run (all other reductions have a fixed order).
 */
package polygrok.backend.cuda;
