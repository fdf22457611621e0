package polygrok.backend.cuda;

/** Launcher of elementwise.cu: fill, copy, add, the last position and the sum over positions. */
final class ElementwiseKernels {
    static final String FAMILY = "elementwise";
    static final int BLOCK = 256;

    private final Launcher runner;

    ElementwiseKernels(Launcher runner) {
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

    void lastPositionForward(DeviceView x, DeviceView out, int models, int batch, int t, int d) {
        runner.launch(FAMILY, "last_position_forward", Grid.perModel((long) batch * d, models, BLOCK),
                new KernelArgs().view(x).view(out).i32(batch).i32(t).i32(d));
    }

    void lastPositionBackward(DeviceView dOut, DeviceView dX, int models, int batch, int t, int d) {
        runner.launch(FAMILY, "last_position_backward", Grid.perModel((long) batch * d, models, BLOCK),
                new KernelArgs().view(dOut).view(dX).i32(batch).i32(t).i32(d));
    }

    void sumPositionsForward(DeviceView x, DeviceView out, int models, int batch, int t, int d) {
        runner.launch(FAMILY, "sum_positions_forward", Grid.perModel((long) batch * d, models, BLOCK),
                new KernelArgs().view(x).view(out).i32(batch).i32(t).i32(d));
    }

    void sumPositionsBackward(DeviceView dOut, DeviceView dX, int models, int batch, int t, int d) {
        runner.launch(FAMILY, "sum_positions_backward", Grid.perModel((long) batch * t * d, models, BLOCK),
                new KernelArgs().view(dOut).view(dX).i32(batch).i32(t).i32(d));
    }
}
