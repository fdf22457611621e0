package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import polygrok.backend.Activation;

/**
 * Every launcher call, recorded instead of launched, must name a kernel that the compiled PTX exports
 * and pass exactly the parameter types of its C signature (a mismatch would read garbage on the GPU);
 * and every exported kernel must be launched by some launcher. Needs the PTX (nvcc at build time), not a GPU.
 */
class CudaKernelSignatureTest {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)");

    private static DeviceView view() {
        return new DeviceView(new CUdeviceptr(), 7);
    }

    /** kernel name -> PTX parameter types, for one family. */
    static Map<String, List<String>> entries(String family) throws IOException {
        try (InputStream in = CudaKernelSignatureTest.class.getResourceAsStream(KernelModules.resourceName(family, "ptx"))) {
            assertNotNull(in, "PTX of family " + family + " missing");
            String ptx = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            Map<String, List<String>> out = new HashMap<>();
            Matcher m = ENTRY.matcher(ptx);
            while (m.find()) {
                List<String> types = new ArrayList<>();
                Matcher p = PARAM.matcher(m.group(2));
                while (p.find()) {
                    types.add(p.group(1));
                }
                out.put(m.group(1), types);
            }
            return out;
        }
    }

    /** Calls every launcher method once. */
    static RecordingLauncher recordAll() {
        RecordingLauncher r = new RecordingLauncher();
        DeviceView v = view();
        MemoryKernels mem = new MemoryKernels(r);
        mem.holdStream(1000);
        mem.fill(v, 2, 5, 1f);
        mem.copy(v, v, 2, 5);
        mem.add(v, v, v, 2, 5);
        PositionsKernels pos = new PositionsKernels(r);
        pos.lastPositionForward(v, v, 2, 3, 3, 4);
        pos.lastPositionBackward(v, v, 2, 3, 3, 4);
        pos.sumPositionsForward(v, v, 2, 3, 3, 4);
        pos.sumPositionsBackward(v, v, 2, 3, 3, 4);
        LayerNormKernels ln = new LayerNormKernels(r);
        ln.forward(v, v, v, 1e-5f, v, v, v, 2, 3, 4);
        ln.backward(v, v, v, v, v, v, v, v, 2, 3, 4);
        EmbeddingKernels em = new EmbeddingKernels(r);
        em.forward(v, v, v, 2, 6, 4, 9);
        em.backward(v, v, v, 2, 6, 4, 9);
        em.positionalForward(v, v, 2, 3, 3, 4);
        em.positionalBackward(v, v, 2, 3, 3, 4);
        ActivationKernels act = new ActivationKernels(r);
        act.forward(Activation.GELU, v, v, 2, 5);
        act.backward(Activation.RELU, v, v, v, 2, 5, true);
        AttentionKernels at = new AttentionKernels(r);
        at.forward(v, v, v, v, v, 2, 3, 3, 1, 4, 8);
        at.backward(v, v, v, v, v, v, v, v, 2, 3, 3, 3, 4, 8);
        CrossEntropyKernels xe = new CrossEntropyKernels(r);
        xe.forward(v, v, v, v, v, new CUdeviceptr(), 2, 5, 11);
        xe.backward(v, v, v, v, 2, 5, 11);
        AdamWKernels ad = new AdamWKernels(r);
        ad.step(v, v, v, v, v, v, v, v, 2, 10, 0.9f, 0.98f, 1e-8f);
        NormsKernels nk = new NormsKernels(r);
        nk.lpPenalty(v, v, v, v, 2, 10, 2.0, 0.1);
        nk.parameterNorms(v, v, v, 2, 5);
        Operand o = Operand.plain(v, 4);
        OwnGemm gemm = new OwnGemm(r, new Scratch(new HostHeap(1 << 16), () -> { }, () -> false), PlannedGpu.MULTIPROCESSORS);
        gemm.run(5, 6, 7, 1f, o, Operand.transposed(v, 4), 0f, o, 2);
        gemm.run(5, 6, 4096, 1f, o, Operand.transposed(v, 4), 1f, o, 1); // split K: partial sums, then the reduction
        gemm.run(2822, 512, 128, 1f, o, Operand.transposed(v, 4), 0f, o, 16); // enough 128-wide tiles: sgemm_big
        gemm.run(2822, 512, 128, 1f, o, Operand.transposed(v, 4), 0f, o, 1); // one model, 64-wide tiles fill a wave
        gemm.run(2822, 128, 128, 1f, o, Operand.transposed(v, 4), 0f, o, 1); // one model, skinny: sgemm_small
        OwnGemm tensorCores = new OwnGemm(r, new Scratch(new HostHeap(1 << 16), () -> { }, () -> false), PlannedGpu.MULTIPROCESSORS, true);
        tensorCores.run(2822, 512, 128, 1f, o, Operand.transposed(v, 4), 0f, o, 16); // 128-wide tiles: sgemm_tf32x3
        return r;
    }

    @Test
    void launchesMatchTheCompiledSignatures() throws IOException {
        Assumptions.assumeTrue(KernelModules.allBuilt(), "kernels not built here (no nvcc at build time)");
        Map<String, Map<String, List<String>>> ptx = new HashMap<>();
        for (String family : KernelModules.FAMILIES) {
            ptx.put(family, entries(family));
        }
        Set<String> launched = new HashSet<>();
        for (RecordingLauncher.Launch l : recordAll().launches) {
            Map<String, List<String>> family = ptx.get(l.family());
            assertNotNull(family, "launch of unknown family " + l.family());
            List<String> expected = family.get(l.kernel());
            assertNotNull(expected, "kernel " + l.family() + "." + l.kernel() + " not exported by its PTX; exported: " + family.keySet());
            assertEquals(expected, l.ptxTypes(), "parameter types of " + l.family() + "." + l.kernel()
                    + " (PTX signature vs the launcher's KernelArgs)");
            launched.add(l.family() + "." + l.kernel());
        }
        for (var f : ptx.entrySet()) {
            for (String kernel : f.getValue().keySet()) {
                assertTrue(launched.contains(f.getKey() + "." + kernel), "kernel " + f.getKey() + "." + kernel
                        + " is exported but no launcher calls it (or recordAll misses the call)");
            }
        }
    }
}
