package polygrok.backend.cuda;

/** One launcher per kernel family of src/main/cuda (the matrix products aside: {@link Gemm}), all on one runner. */
final class Launchers {
    final MemoryKernels memory;
    final PositionsKernels positions;
    final EmbeddingKernels embedding;
    final ActivationKernels activations;
    final AttentionKernels attention;
    final LayerNormKernels layerNorm;
    final CrossEntropyKernels crossEntropy;
    final NormsKernels norms;
    final AdamWKernels adamw;

    Launchers(Launcher runner) {
        memory = new MemoryKernels(runner);
        positions = new PositionsKernels(runner);
        embedding = new EmbeddingKernels(runner);
        activations = new ActivationKernels(runner);
        attention = new AttentionKernels(runner);
        layerNorm = new LayerNormKernels(runner);
        crossEntropy = new CrossEntropyKernels(runner);
        norms = new NormsKernels(runner);
        adamw = new AdamWKernels(runner);
    }
}
