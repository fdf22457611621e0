package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.util.Optional;
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
            int init = cuInit(0);
            if (init != CUresult.CUDA_SUCCESS) {
                return Optional.of("no usable CUDA driver: cuInit returned " + CUresult.stringFor(init));
            }
            int[] count = {0};
            int r = cuDeviceGetCount(count);
            if (r != CUresult.CUDA_SUCCESS) {
                return Optional.of("cannot count CUDA devices: " + CUresult.stringFor(r));
            }
            if (count[0] == 0) {
                return Optional.of("no CUDA device");
            }
            int[] version = {0};
            cuDriverGetVersion(version);
            return Optional.empty();
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
