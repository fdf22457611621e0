package polygrok.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.cpuref.CpuRefBackend;

/**
 * Every PyTorch reference file reproduced by the float64 reference backend (f64.* tensors to 1e-10
 * relative) and by the fast float32 backend (the float32 out.*, grad.*, adamw.* tensors to 1e-4).
 */
class ReferenceCheckTest {

    static List<Path> files() throws IOException {
        List<Path> files = ReferenceFiles.list();
        assertTrue(files.size() >= 3, "reference files in " + ReferenceFiles.directory() + ": " + files);
        return files;
    }

    @ParameterizedTest
    @MethodSource("files")
    void cpurefMatchesTheReference(Path file) throws IOException {
        ReferenceFile ref = ReferenceFile.load(file);
        CheckReport r = ReferenceCheck.run(ref, new CpuRefBackend());
        String failures = r.rows().stream().filter(row -> !row.ok())
                .map(row -> row.name() + ": rel " + row.relError() + " > " + row.tolerance()).collect(Collectors.joining("\n"));
        assertEquals(0, r.failed(), file.getFileName() + ":\n" + failures);
        // loss, logits, then per parameter its gradient and its weights after steps 1 and 3, then activations
        int expected = 2 + 3 * ref.params().size() + ref.activations().size();
        assertEquals(expected, r.rows().size(), "tensors compared");
        assertTrue(r.rows().stream().allMatch(row -> row.tolerance() <= ReferenceCheck.ACTIVATION_F64_TOLERANCE),
                "a tolerance looser than the documented ones");
    }

    @ParameterizedTest
    @MethodSource("files")
    void theFloat32CpuBackendMatchesTheReference(Path file) throws IOException {
        ReferenceFile ref = ReferenceFile.load(file);
        CheckReport r;
        try (var cpu = new polygrok.backend.cpu.CpuBackend()) {
            r = ReferenceCheck.run(ref, cpu);
        }
        String failures = r.rows().stream().filter(row -> !row.ok())
                .map(row -> row.name() + ": rel " + row.relError() + " > " + row.tolerance()).collect(Collectors.joining("\n"));
        assertEquals(0, r.failed(), file.getFileName() + " on cpu:\n" + failures);
        assertEquals(2 + 3 * ref.params().size() + ref.activations().size(), r.rows().size(), "tensors compared");
        assertTrue(r.rows().stream().allMatch(row -> row.tolerance() == ReferenceCheck.F32_TOLERANCE), "float32 tolerance is 1e-4");
    }
}
