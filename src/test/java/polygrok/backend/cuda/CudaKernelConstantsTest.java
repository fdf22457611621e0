package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sizes that kernels and launchers must share are defined once, in common.cuh, and the Java constants
 * must equal them: a reduction block larger than the shared array, or a context longer than the score
 * registers, would write out of bounds on a GPU without any error on the host.
 */
class CudaKernelConstantsTest {
    static final String HEADER = "common.cuh";

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(KernelSources.DIR)) {
            return files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh")).sorted().toList();
        }
    }

    @Test
    void reductionBlocksEqualTheSharedArray() {
        int threads = KernelSources.define(HEADER, "REDUCE_THREADS");
        assertEquals(threads, CrossEntropyKernels.REDUCE_BLOCK, "CrossEntropyKernels.REDUCE_BLOCK vs REDUCE_THREADS in " + HEADER);
        assertEquals(threads, NormsKernels.PENALTY_BLOCK, "NormsKernels.PENALTY_BLOCK vs REDUCE_THREADS in " + HEADER);
        assertEquals(threads, NormsKernels.NORMS_BLOCK, "NormsKernels.NORMS_BLOCK vs REDUCE_THREADS in " + HEADER);
        assertEquals(1, Integer.bitCount(threads), "block_sum halves the block: REDUCE_THREADS must be a power of two, got " + threads);
        assertTrue(KernelSources.read(HEADER).contains("__shared__ double part[REDUCE_THREADS];"),
                "block_sum's shared array must be sized by REDUCE_THREADS");
    }

    /** The reduction is written once (block_sum): a hand-written copy would carry its own array size again. */
    @Test
    void reductionKernelsUseTheSharedBlockSum() throws IOException {
        for (String file : List.of("norms.cu", "cross_entropy.cu")) {
            String text = KernelSources.read(file);
            assertFalse(text.contains("__shared__"), file + " declares its own shared array; reduce with block_sum of " + HEADER);
            assertTrue(text.contains("block_sum("), file + " should reduce with block_sum of " + HEADER);
        }
    }

    @Test
    void attentionContextLimitIsTheKernels() throws IOException {
        assertEquals(KernelSources.define(HEADER, "MAX_T"), AttentionKernels.MAX_T, "AttentionKernels.MAX_T vs MAX_T in " + HEADER);
        String attention = KernelSources.read("attention.cu");
        assertTrue(attention.contains("scores[MAX_T]") && attention.contains("dScore[MAX_T]"),
                "attention.cu's per-query registers must be sized by MAX_T");
        for (Path p : sources()) {
            if (!p.getFileName().toString().equals(HEADER)) {
                assertFalse(Files.readString(p).matches("(?s).*#define\\s+(MAX_T|REDUCE_THREADS)\\b.*"),
                        p + " defines MAX_T or REDUCE_THREADS again; " + HEADER + " is their one source");
            }
        }
    }
}
