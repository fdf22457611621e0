package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Whether the cuda backend can run here, answered without throwing: no GPU is a normal case. The
 * answer is computed once (loading the driver binding is not free) and cached.
 */
public final class CudaProbe {
    private static Optional<String> cached;

    private CudaProbe() {
    }

    /** Empty when a CUDA device and the compiled kernels are usable; otherwise why not. */
    public static synchronized Optional<String> whyUnavailable() {
        if (cached == null) {
            cached = probe();
        }
        return cached;
    }

    private static Optional<String> probe() {
        if (!KernelModules.allBuilt()) {
            return Optional.of("CUDA kernels not built (nvcc was absent when polygrok was compiled)");
        }
        try {
            JCudaDriver.setExceptionsEnabled(false); // read result codes here; the backend turns exceptions on
            Optional<String> why = answer(() -> cuInit(0), count -> cuDeviceGetCount(count));
            if (why.isEmpty()) {
                int[] version = {0};
                cuDriverGetVersion(version);
            }
            return why;
        } catch (Throwable t) { // UnsatisfiedLinkError (no libcuda.so.1 / JCuda natives), NoClassDefFoundError, ...
            return Optional.of("JCuda driver binding failed to load (" + firstLine(t) + ")");
        } finally {
            try {
                JCudaDriver.setExceptionsEnabled(true);
            } catch (Throwable ignored) {
                // the binding did not load: nothing to restore
            }
        }
    }

    /**
     * The answer from the driver's result codes: {@code init} is cuInit's, {@code deviceCount} fills its
     * argument as cuDeviceGetCount does and returns its code. Apart from the driver so that tests can give
     * every answer on any machine.
     */
    static Optional<String> answer(IntSupplier init, ToIntFunction<int[]> deviceCount) {
        int r = init.getAsInt();
        if (r != CUresult.CUDA_SUCCESS) {
            return Optional.of("no usable CUDA driver: cuInit returned " + CUresult.stringFor(r));
        }
        int[] count = {0};
        r = deviceCount.applyAsInt(count);
        if (r != CUresult.CUDA_SUCCESS) {
            return Optional.of("cannot count CUDA devices: " + CUresult.stringFor(r));
        }
        if (count[0] == 0) {
            return Optional.of("no CUDA device");
        }
        return Optional.empty();
    }

    /** The gist of a load failure: JCuda's message holds whole nested stack traces. */
    static String firstLine(Throwable t) {
        String msg = String.valueOf(t.getMessage());
        if (msg.contains("libcuda.so.1")) {
            return "libcuda.so.1 not found: no NVIDIA driver on this machine";
        }
        String line = msg.lines().findFirst().orElse("");
        line = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return t.getClass().getSimpleName() + ": " + line;
    }

    /** A line for logs: "cuda usable" or the reason it is not. */
    public static String summary() {
        return whyUnavailable().map(why -> "cuda unavailable: " + why).orElse("cuda usable");
    }
}
