package polygrok.backend.cuda;

import jcuda.driver.CUdeviceptr;
import polygrok.backend.LossMode;

/** Launcher of cross_entropy.cu: cross-entropy forward (per-example rows, then a per-model reduction) and backward. */
final class CrossEntropyKernels {
    static final String FAMILY = "cross_entropy";
    static final int ROW_BLOCK = 128;
    /** Threads of the per-model reduction: REDUCE_THREADS of common.cuh, block_sum's shared array (CudaKernelConstantsTest). */
    static final int REDUCE_BLOCK = 256;

    private final Launcher runner;

    CrossEntropyKernels(Launcher runner) {
        this.runner = runner;
    }

    /** One block per model. */
    static Grid reduceGrid(int models) {
        return new Grid(models, 1, 1, REDUCE_BLOCK, 0);
    }

    /** weightedCe: double scratch of M*B entries. */
    void forward(DeviceView logits, DeviceView labels, DeviceView weights, DeviceView perExample, DeviceView loss,
                 CUdeviceptr weightedCe, int models, int batch, int vocab) {
        runner.launch(FAMILY, "cross_entropy_forward_rows", Grid.warpPerRow(batch, models, ROW_BLOCK),
                new KernelArgs().view(logits).view(labels).view(weights).view(perExample).ptr(weightedCe)
                        .i32(batch).i32(vocab));
        runner.launch(FAMILY, "cross_entropy_reduce_loss", reduceGrid(models),
                new KernelArgs().ptr(weightedCe).i32(batch).view(loss));
    }

    void backward(DeviceView logits, DeviceView labels, DeviceView weights, DeviceView dLogits, int models, int batch, int vocab) {
        runner.launch(FAMILY, "cross_entropy_backward", Grid.warpPerRow(batch, models, ROW_BLOCK),
                new KernelArgs().view(logits).view(labels).view(weights).view(dLogits).i32(batch).i32(vocab));
    }

    /** Only the seed's float64 cross-entropy has a kernel (cross_entropy.cu); any other loss is refused with the reason. */
    static void refuse(LossMode mode, polygrok.backend.Backend backend) {
        String why = backend.supportsLoss(mode);
        if (why != null) {
            throw new UnsupportedOperationException(why);
        }
    }
}
