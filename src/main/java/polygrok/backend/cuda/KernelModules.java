package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The compiled kernel families, loaded from {@code /kernels/<family>.cubin} when the device is sm_90
 * (the cubin was built for exactly that) and from the PTX otherwise (the driver JIT-compiles it).
 */
final class KernelModules implements AutoCloseable {
    /** Every family the build compiles; one .cu file each in src/main/cuda. */
    static final List<String> FAMILIES = List.of("memory", "positions", "layer_norm", "embedding", "gemm", "gemm_tc", "activation", "attention",
            "cross_entropy", "norms", "adamw");

    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final String format;

    KernelModules(int ccMajor, int ccMinor) {
        this.format = binaryFormat(ccMajor, ccMinor);
        for (String family : FAMILIES) {
            String resource = resourceName(family, format);
            byte[] image = read(resource);
            if (format.equals("ptx")) {
                image = Arrays.copyOf(image, image.length + 1); // the driver wants a NUL-terminated PTX string
            }
            CUmodule module = new CUmodule();
            cuModuleLoadData(module, image);
            modules.put(family, module);
        }
    }

    /** "cubin" for compute capability 9.0, else "ptx". */
    static String binaryFormat(int ccMajor, int ccMinor) {
        return ccMajor == 9 && ccMinor == 0 ? "cubin" : "ptx";
    }

    static String resourceName(String family, String format) {
        return "/kernels/" + family + "." + format;
    }

    String format() {
        return format;
    }

    /** True when every family's PTX and cubin are on the class path (nvcc ran at build time). */
    static boolean allBuilt() {
        for (String family : FAMILIES) {
            for (String format : List.of("ptx", "cubin")) {
                if (KernelModules.class.getResource(resourceName(family, format)) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] read(String resource) {
        try (InputStream in = KernelModules.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("kernel image " + resource + " is not on the class path; "
                        + "build with nvcc present (src/main/cuda/build.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernel image " + resource + ": " + e.getMessage(), e);
        }
    }

    CUfunction function(String family, String kernel) {
        return functions.computeIfAbsent(family + "." + kernel, key -> {
            CUmodule module = modules.get(family);
            if (module == null) {
                throw new IllegalArgumentException("no kernel family '" + family + "'; known: " + FAMILIES);
            }
            CUfunction f = new CUfunction();
            cuModuleGetFunction(f, module, kernel);
            return f;
        });
    }

    @Override
    public void close() {
        for (CUmodule m : modules.values()) {
            cuModuleUnload(m);
        }
        modules.clear();
        functions.clear();
    }
}
