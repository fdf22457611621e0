package polygrok.backend.cuda;

/**
 * How OwnGemm runs one product: the kernel of gemm.cu, the side of its square output tile, and how many
 * stretches of K are summed separately (1: no split, no reduction).
 */
record GemmPlan(String kernel, int tile, int splits) {
    GemmPlan {
        if (kernel == null || kernel.isBlank()) {
            throw new IllegalArgumentException("GEMM plan kernel must be named, got " + kernel);
        }
        if (tile < 1) {
            throw new IllegalArgumentException("GEMM plan tile " + tile + " must be positive");
        }
        if (splits < 1) {
            throw new IllegalArgumentException("GEMM plan splits " + splits + " must be at least 1");
        }
    }
}
