package polygrok.backend.cuda;

import java.util.Locale;
import jcuda.driver.CUstream;

/**
 * Which GEMM the backend's matrix products use, from {@code -Dpolygrok.cuda.gemm}: our own kernels
 * ({@code own}, the default), our 128-wide tiles on the tensor cores ({@code tf32x3}), cuBLAS
 * ({@code cublas}, an error when it does not load) or cuBLAS where it loads and ours otherwise
 * ({@code auto}). Read once, when the backend opens.
 */
final class GemmChoice {
    static final String PROPERTY = "polygrok.cuda.gemm";
    private static final System.Logger LOG = System.getLogger("polygrok.cuda");

    enum Kind { OWN, TF32X3, CUBLAS, AUTO }

    private GemmChoice() {
    }

    /** The property's value, {@code own} when it is not set. */
    static String fromProperty() {
        return System.getProperty(PROPERTY, "own");
    }

    /** What {@code choice} asks for, in any letter case; a pure function so that a bad value is caught without a GPU. */
    static Kind parse(String choice) {
        return switch (choice.toLowerCase(Locale.ROOT)) {
            case "own" -> Kind.OWN;
            case "tf32x3" -> Kind.TF32X3;
            case "cublas" -> Kind.CUBLAS;
            case "auto" -> Kind.AUTO;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + choice + " is not one of own, tf32x3, cublas, auto");
        };
    }

    /**
     * Opens the GEMM that {@code choice} asks for on {@code stream}.
     *
     * @param multiprocessors the device's SM count, by which our kernels size their waves of blocks
     */
    static Gemm open(String choice, Launcher runner, Scratch scratch, CUstream stream, int multiprocessors) {
        Kind kind = parse(choice);
        if (kind == Kind.OWN) {
            return new OwnGemm(runner, scratch, multiprocessors);
        }
        if (kind == Kind.TF32X3) {
            // the tensor-core kernel has been checked by host emulation, not yet on a GPU: asked for, never chosen
            return new OwnGemm(runner, scratch, multiprocessors, true);
        }
        CublasGemm.Result r = CublasGemm.open(stream);
        if (r.gemm().isPresent()) {
            return r.gemm().get();
        }
        if (kind == Kind.CUBLAS) {
            throw new IllegalStateException("-D" + PROPERTY + "=cublas but cuBLAS is unusable: " + r.whyNot());
        }
        LOG.log(System.Logger.Level.INFO, "cuBLAS unusable (" + r.whyNot() + "); using polygrok's own GEMM");
        return new OwnGemm(runner, scratch, multiprocessors);
    }
}
