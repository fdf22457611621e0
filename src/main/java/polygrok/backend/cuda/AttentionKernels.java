package polygrok.backend.cuda;

/** Launcher of attention.cu: the scores / softmax / mixing core between the projection GEMMs. */
final class AttentionKernels {
    static final String FAMILY = "attention";
    static final int BLOCK = 128;
    /** Longest context the kernels hold in registers: MAX_T of common.cuh (CudaKernelConstantsTest). */
    static final int MAX_T = 16;

    private final Launcher runner;

    AttentionKernels(Launcher runner) {
        this.runner = runner;
    }

    static void checkContext(int t) {
        if (t < 1 || t > MAX_T) {
            throw new IllegalArgumentException("the fused attention kernel takes contexts of 1.." + MAX_T + " positions, got T = " + t);
        }
    }

    /** Threads per item: a warp, whose lanes split the head dimension (coalesced rows, warp-reduced dot products). */
    static final int WARP = 32;

    /** One warp per (example, head, query). */
    static Grid forwardGrid(int models, int batch, int heads, int tq) {
        return Grid.perModel((long) batch * heads * tq * WARP, models, BLOCK);
    }

    /** One warp per (example, head): it owns that head's key and value gradients. */
    static Grid backwardGrid(int models, int batch, int heads) {
        return Grid.perModel((long) batch * heads * WARP, models, BLOCK);
    }

    void forward(DeviceView q, DeviceView k, DeviceView v, DeviceView pattern, DeviceView z,
                 int models, int batch, int t, int tq, int heads, int dh) {
        checkContext(t);
        runner.launch(FAMILY, "attention_forward", forwardGrid(models, batch, heads, tq),
                new KernelArgs().view(q).view(k).view(v).view(pattern).view(z)
                        .i32(batch).i32(t).i32(tq).i32(heads).i32(dh).f32((float) (1 / Math.sqrt(dh))));
    }

    void backward(DeviceView q, DeviceView k, DeviceView v, DeviceView pattern, DeviceView dz,
                  DeviceView dq, DeviceView dk, DeviceView dv, int models, int batch, int t, int tq, int heads, int dh) {
        checkContext(t);
        runner.launch(FAMILY, "attention_backward", backwardGrid(models, batch, heads),
                new KernelArgs().view(q).view(k).view(v).view(pattern).view(dz).view(dq).view(dk).view(dv)
                        .i32(batch).i32(t).i32(tq).i32(heads).i32(dh).f32((float) (1 / Math.sqrt(dh))));
    }
}
