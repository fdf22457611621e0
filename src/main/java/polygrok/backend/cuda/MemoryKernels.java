package polygrok.backend.cuda;

/** Launcher of memory.cu: fill, copy, add (and the stream hold of the kernel profile). */
final class MemoryKernels {
    static final String FAMILY = "memory";
    static final int BLOCK = 256;

    private final Launcher runner;

    MemoryKernels(Launcher runner) {
        this.runner = runner;
    }

    static final String HOLD_KERNEL = "hold_stream";

    /** Keeps the stream busy for about {@code cycles} GPU clock ticks (see {@link KernelProfile}). */
    void holdStream(long cycles) {
        runner.launchUntimed(FAMILY, HOLD_KERNEL, new Grid(1, 1, 1, 32, 0), new KernelArgs().i64(cycles));
    }

    void fill(DeviceView x, int models, int n, float value) {
        runner.launch(FAMILY, "fill_f32", Grid.perModel(n, models, BLOCK), new KernelArgs().view(x).i32(n).f32(value));
    }

    void copy(DeviceView src, DeviceView dst, int models, int n) {
        runner.launch(FAMILY, "copy_f32", Grid.perModel(n, models, BLOCK), new KernelArgs().view(src).view(dst).i32(n));
    }

    void add(DeviceView a, DeviceView b, DeviceView out, int models, int n) {
        runner.launch(FAMILY, "add_f32", Grid.perModel(n, models, BLOCK), new KernelArgs().view(a).view(b).view(out).i32(n));
    }
}
