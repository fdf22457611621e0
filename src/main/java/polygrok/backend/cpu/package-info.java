/**
 * The fast CPU backend: float32 tensors on the heap, GEMM-based linear maps and fused ops per op family,
 * split over a fixed pool of worker threads, with Vector API kernels where the incubator module is present.
 */
package polygrok.backend.cpu;
