package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

/**
 * The probe answers, never throws, and gives a reason for every way CUDA can be missing. The driver's
 * answers are given by the test (CudaProbe.answer), so every branch is checked on any machine.
 */
class CudaProbeTest {

    @Test
    void answersWithoutThrowing() {
        Optional<String> why = assertDoesNotThrow(CudaProbe::whyUnavailable, "CudaProbe.whyUnavailable must not throw");
        why.ifPresent(reason -> assertFalse(reason.isBlank(), "a reason must say something"));
        String summary = assertDoesNotThrow(CudaProbe::summary, "CudaProbe.summary must not throw");
        assertEquals(why.map(w -> "cuda unavailable: " + w).orElse("cuda usable"), summary, "summary vs whyUnavailable");
    }

    @Test
    void givesAReasonWhereThereIsNoGpu() {
        boolean deviceNode = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/nvidiactl"));
        if (!deviceNode) {
            assertTrue(CudaProbe.whyUnavailable().isPresent(), "no /dev/nvidia*, yet the probe says cuda is usable");
        }
    }

    @Test
    void everyDriverAnswerHasItsReason() {
        assertEquals(Optional.of("no usable CUDA driver: cuInit returned CUDA_ERROR_NO_DEVICE"),
                CudaProbe.answer(() -> CUresult.CUDA_ERROR_NO_DEVICE, count -> CUresult.CUDA_SUCCESS), "cuInit fails");
        assertEquals(Optional.of("cannot count CUDA devices: CUDA_ERROR_NOT_INITIALIZED"),
                CudaProbe.answer(() -> CUresult.CUDA_SUCCESS, count -> CUresult.CUDA_ERROR_NOT_INITIALIZED), "count fails");
        assertEquals(Optional.of("no CUDA device"),
                CudaProbe.answer(() -> CUresult.CUDA_SUCCESS, count -> CUresult.CUDA_SUCCESS), "zero devices");
        assertEquals(Optional.empty(), CudaProbe.answer(() -> CUresult.CUDA_SUCCESS, count -> {
            count[0] = 2;
            return CUresult.CUDA_SUCCESS;
        }), "two devices: usable");
    }

    @Test
    void loadFailuresAreShortened() {
        assertEquals("libcuda.so.1 not found: no NVIDIA driver on this machine",
                CudaProbe.firstLine(new UnsatisfiedLinkError("Error while loading native library\nlibcuda.so.1: cannot open shared object file")),
                "missing driver library");
        String line = CudaProbe.firstLine(new NoClassDefFoundError("x".repeat(300) + "\nsecond line"));
        assertEquals("NoClassDefFoundError: " + "x".repeat(200) + "...", line, "first line only, at most 200 characters");
    }
}
