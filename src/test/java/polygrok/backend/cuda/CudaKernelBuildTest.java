package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The build compiles every kernel family when nvcc is present (build.sh looks in the same places). */
class CudaKernelBuildTest {
    private static final Path SOURCES = Path.of("src", "main", "cuda");

    static boolean nvccPresent() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                return true;
            }
        }
        String home = System.getenv("CUDA_HOME");
        return (home != null && Files.isExecutable(Path.of(home, "bin", "nvcc")))
                || Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"));
    }

    private static List<String> families() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    @Test
    void everyFamilyIsLoadedByTheBackend() throws IOException {
        assertEquals(families(), KernelModules.FAMILIES.stream().sorted().toList(),
                ".cu files in src/main/cuda vs KernelModules.FAMILIES");
    }

    @Test
    void everyFamilyHasPtxAndCubin() throws IOException {
        Assumptions.assumeTrue(nvccPresent(), "nvcc not found: kernels are not built on this machine");
        for (String family : families()) {
            for (String format : List.of("ptx", "cubin")) {
                assertNotNull(getClass().getResource(KernelModules.resourceName(family, format)),
                        "kernel image " + family + "." + format + " missing from target/classes/kernels");
            }
        }
    }
}
