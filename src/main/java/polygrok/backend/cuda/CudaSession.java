package polygrok.backend.cuda;

/**
 * What a cuda backend opens and must close again, in order: the device (context and stream), the kernel
 * modules, the launch runner and its launchers, device memory, the graph cache, scratch and the matrix
 * products.
 * {@link CudaBackend} dispatches ops onto these; this class only builds them and tears them down.
 */
final class CudaSession implements AutoCloseable {
    final CudaDevice device;
    final KernelModules modules;
    final KernelRunner runner;
    final CudaMemory memory;
    final Launchers kernels;
    final GraphCache graphs;
    final Scratch scratch;
    final Gemm gemm;
    /** The chip and the kernel format, e.g. for logs and benchmark records. */
    final String description;

    /** Opens device 0; fails with a clear message when there is none. */
    CudaSession() {
        device = new CudaDevice();
        modules = new KernelModules(device.computeMajor(), device.computeMinor());
        description = device.name() + " (compute capability " + device.computeMajor() + "." + device.computeMinor()
                + ", kernels from " + modules.format() + ")";
        runner = new KernelRunner(modules, device.stream(), device::bind);
        memory = new CudaMemory(device, runner::capturing);
        kernels = new Launchers(runner);
        // ~25 ms at H200 clocks: far longer than the host needs to queue one step's launches and events
        graphs = new GraphCache(runner, () -> kernels.memory.holdStream(50_000_000L));
        scratch = new Scratch(CudaMemory.scratchAllocator(), () -> {
            device.await();
            graphs.forget();
        }, runner::capturing);
        gemm = GemmChoice.open(GemmChoice.fromProperty(), runner, scratch, device.stream(), device.multiprocessors());
    }

    /** Frees every allocation still open, the graphs, the kernels and the stream; a second call does nothing. */
    @Override
    public void close() {
        if (device.isClosed()) {
            return;
        }
        device.bind();
        device.await();
        if (runner.profile() != null) {
            runner.profile().report(System.err);
        }
        graphs.close();
        memory.close();
        scratch.close();
        gemm.close();
        modules.close();
        device.close();
    }
}
