package polygrok.backend.cpu;

import java.lang.System.Logger.Level;

/**
 * Picks the tile kernel (and the SIMD loops, {@link SimdLoops}): the Vector API ones when the jdk.incubator.vector module is in the boot
 * layer and -Dpolygrok.vector is not false, the scalar one otherwise (with one logged warning when
 * the module was wanted but missing). The vector class is loaded by name so that a JVM without the
 * module never links it.
 */
final class TileKernels {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final System.Logger LOG = System.getLogger("polygrok.backend.cpu");
    private static volatile boolean warned;

    private TileKernels() {
    }

    /** True unless -Dpolygrok.vector=false. */
    static boolean vectorRequested() {
        return !"false".equalsIgnoreCase(System.getProperty("polygrok.vector", "true"));
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    static TileKernel choose(boolean wantVector) {
        if (!wantVector) {
            return new ScalarTileKernel();
        }
        if (!vectorModulePresent()) {
            warnOnce("the JVM was started without --add-modules " + VECTOR_MODULE
                    + "; the cpu backend falls back to scalar loops (several times slower)");
            return new ScalarTileKernel();
        }
        try {
            return (TileKernel) Class.forName("polygrok.backend.cpu.VectorTileKernel")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            warnOnce("the Vector API kernel could not be loaded (" + e + "); the cpu backend falls back to scalar loops");
            return new ScalarTileKernel();
        }
    }

    /** The SIMD loops to match: Vector API when {@link #choose} would give the vector kernel. */
    static SimdLoops chooseLoops(boolean wantVector) {
        if (!wantVector || !vectorModulePresent()) {
            return new ScalarLoops();
        }
        try {
            return (SimdLoops) Class.forName("polygrok.backend.cpu.VectorLoops")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarLoops();
        }
    }

    private static void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOG.log(Level.WARNING, message);
        }
    }
}
