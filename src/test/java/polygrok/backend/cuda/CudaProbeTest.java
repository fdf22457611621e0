package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The probe answers, never throws; without an NVIDIA device it gives a reason. */
class CudaProbeTest {

    @Test
    void answersWithoutThrowing() {
        Optional<String> why = assertDoesNotThrow(CudaProbe::whyUnavailable, "CudaProbe.whyUnavailable must not throw");
        why.ifPresent(reason -> assertFalse(reason.isBlank(), "a reason must say something"));
        assertDoesNotThrow(CudaProbe::summary, "CudaProbe.summary must not throw");
    }

    @Test
    void givesAReasonWhereThereIsNoGpu() {
        boolean deviceNode = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/nvidiactl"));
        if (!deviceNode) {
            assertTrue(CudaProbe.whyUnavailable().isPresent(), "no /dev/nvidia*, yet the probe says cuda is usable");
        }
    }
}
