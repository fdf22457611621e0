package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs src/test/cuda/run-host-emulation.sh: the kernel sources of src/main/cuda compiled for the CPU
 * (every CUDA thread an OS thread) and checked against plain double loops, so that every build checks
 * the kernels' index arithmetic, tiling, edges and reductions without a GPU. Needs g++ (C++20); skipped
 * without it. About half a minute on two cores.
 */
class CudaHostEmulationTest {
    static final Path SCRIPT = Path.of("src/test/cuda/run-host-emulation.sh");

    private static boolean hasCompiler() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theKernelSourcesPassTheirHostChecks() throws Exception {
        // the script is in the repository: missing means the tests run from the wrong directory, a failure
        assertTrue(Files.isRegularFile(SCRIPT), "no " + SCRIPT + " here: tests run from the project root");
        Assumptions.assumeTrue(hasCompiler(), "no g++ here: the kernel sources are not emulated on the CPU");
        Process p = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "host emulation did not finish");
        String failures = output.lines().filter(l -> l.startsWith("FAIL") || l.startsWith("  ") || l.contains("error"))
                .collect(Collectors.joining("\n"));
        assertEquals(0, p.exitValue(), "host emulation of the kernels failed:\n" + (failures.isEmpty() ? output : failures));
        assertTrue(output.contains("all kernel checks passed"), output);
    }
}
