package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;

/**
 * Where the GPU time goes, kernel by kernel: with {@code -Dpolygrok.cuda.profile=true} every launch is
 * bracketed by two events (graphs are not captured, so each kernel is seen) and the backend prints a
 * table of total time per kernel and grid when it closes. Each repeatable step starts behind a kernel
 * that holds the stream (memory.hold_stream, not timed) while the host queues the step, so the
 * kernels run back to back and a kernel's events do not include the host's launch gaps. Work outside
 * repeatable steps is still timed as it comes.
 */
final class KernelProfile {
    static final String PROPERTY = "polygrok.cuda.profile";

    private record Span(String what, CUevent start, CUevent end) {
    }

    private final List<Span> spans = new ArrayList<>();

    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    CUevent begin(CUstream stream) {
        CUevent e = new CUevent();
        cuEventCreate(e, CUevent_flags.CU_EVENT_DEFAULT);
        cuEventRecord(e, stream);
        return e;
    }

    void end(String what, CUevent start, CUstream stream) {
        CUevent e = new CUevent();
        cuEventCreate(e, CUevent_flags.CU_EVENT_DEFAULT);
        cuEventRecord(e, stream);
        spans.add(new Span(what, start, e));
    }

    /** Prints the table; the stream must have been synchronized. */
    void report(PrintStream out) {
        if (spans.isEmpty()) {
            return;
        }
        Map<String, double[]> byKernel = new LinkedHashMap<>();
        float[] ms = new float[1];
        double total = 0;
        for (Span s : spans) {
            cuEventElapsedTime(ms, s.start(), s.end());
            double[] acc = byKernel.computeIfAbsent(s.what(), k -> new double[2]);
            acc[0] += ms[0];
            acc[1]++;
            total += ms[0];
            cuEventDestroy(s.start());
            cuEventDestroy(s.end());
        }
        spans.clear();
        out.printf(Locale.ROOT, "%-70s %8s %10s %10s %7s%n", "kernel grid", "calls", "total ms", "mean us", "share");
        double sum = total;
        byKernel.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]))
                .forEach(e -> out.printf(Locale.ROOT, "%-70s %8d %10.3f %10.2f %6.1f%%%n", e.getKey(), (long) e.getValue()[1],
                        e.getValue()[0], 1000 * e.getValue()[0] / e.getValue()[1], 100 * e.getValue()[0] / sum));
        out.printf(Locale.ROOT, "%-70s %8d %10.3f%n", "all kernels", (long) byKernel.values().stream().mapToDouble(a -> a[1]).sum(), total);
    }
}
