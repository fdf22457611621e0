package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;

import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstreamCaptureMode;

/**
 * CUDA graphs behind {@code runRepeatable}: the first call of a key runs the work directly (a warm-up
 * that sizes scratch buffers and loads kernels), the second captures it into a graph and launches that,
 * later calls launch the graph alone. Capture is in global mode, so work that synchronizes, allocates or
 * copies from the host inside it fails loudly instead of being recorded wrongly.
 */
final class GraphCache implements AutoCloseable {
    /** What to do for the n-th call of a key (0-based), a pure function so that the policy is testable. */
    enum Action { RUN, CAPTURE, REPLAY }

    static Action actionFor(int previousCalls) {
        return previousCalls == 0 ? Action.RUN : previousCalls == 1 ? Action.CAPTURE : Action.REPLAY;
    }

    private final KernelRunner runner;
    /** Run before each step when profiling: holds the stream so the host queues the whole step first. */
    private final Runnable beforeProfiledStep;
    private final Map<String, Integer> calls = new HashMap<>();
    private final Map<String, CUgraphExec> graphs = new HashMap<>();

    GraphCache(KernelRunner runner, Runnable beforeProfiledStep) {
        this.runner = runner;
        this.beforeProfiledStep = beforeProfiledStep;
    }

    void run(String key, Runnable work) {
        if (runner.capturing()) {
            throw new IllegalStateException("runRepeatable('" + key + "') called while another key is being captured");
        }
        if (runner.profile() != null) {
            beforeProfiledStep.run();
            work.run(); // profiling times each kernel, which a replayed graph would hide
            return;
        }
        int previous = calls.getOrDefault(key, 0);
        switch (actionFor(previous)) {
            case RUN -> work.run();
            case CAPTURE -> graphs.put(key, capture(key, work));
            case REPLAY -> { }
        }
        if (previous >= 1) {
            cuGraphLaunch(graphs.get(key), runner.stream());
        }
        calls.put(key, previous + 1);
    }

    private CUgraphExec capture(String key, Runnable work) {
        cuStreamBeginCapture(runner.stream(), CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_GLOBAL);
        runner.setCapturing(true);
        CUgraph graph = new CUgraph();
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            runner.setCapturing(false);
            try {
                cuStreamEndCapture(runner.stream(), graph); // ends the (invalidated) capture so the stream is usable
                cuGraphDestroy(graph);
            } catch (RuntimeException ignored) {
                // the capture error below is the one worth reporting
            }
            throw new IllegalStateException("capturing runRepeatable('" + key + "') failed (work must only launch "
                    + "kernels: no toDoubles/toInts/synchronize/upload/allocation inside): " + e.getMessage(), e);
        }
        runner.setCapturing(false);
        cuStreamEndCapture(runner.stream(), graph);
        CUgraphExec exec = new CUgraphExec();
        cuGraphInstantiate(exec, graph, 0L);
        cuGraphDestroy(graph);
        return exec;
    }

    /** Destroys every graph; the next call of any key starts over with a direct run. */
    void forget() {
        for (CUgraphExec exec : graphs.values()) {
            cuGraphExecDestroy(exec);
        }
        graphs.clear();
        calls.clear();
    }

    @Override
    public void close() {
        forget();
    }
}
