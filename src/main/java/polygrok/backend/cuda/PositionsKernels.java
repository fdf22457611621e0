package polygrok.backend.cuda;

/** Launcher of positions.cu: the last position and the sum over positions, forward and backward. */
final class PositionsKernels {
    static final String FAMILY = "positions";
    static final int BLOCK = 256;

    private final Launcher runner;

    PositionsKernels(Launcher runner) {
        this.runner = runner;
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
