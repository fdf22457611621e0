package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import polygrok.backend.Activation;

/** Grid arithmetic, view offsets and small policies of the cuda backend: pure functions, no GPU needed. */
class CudaLaunchArithmeticTest {

    @Test
    void blocksCoverEveryItemOnce() {
        assertEquals(1, Grid.blocksFor(1, 256), "blocksFor(1, 256)");
        assertEquals(1, Grid.blocksFor(256, 256), "blocksFor(256, 256)");
        assertEquals(2, Grid.blocksFor(257, 256), "blocksFor(257, 256)");
        assertEquals(34, Grid.blocksFor(8466, 256), "blocksFor(8466, 256)");
        assertThrows(IllegalArgumentException.class, () -> Grid.blocksFor(0, 256), "an empty launch must be refused");
    }

    @Test
    void perModelGridPutsModelsOnY() {
        Grid g = Grid.perModel(1000, 3, 256);
        assertEquals(new Grid(4, 3, 1, 256, 0), g, "perModel(1000 items, 3 models)");
    }

    @Test
    void warpPerRowPacksBlockOver32RowsPerBlock() {
        assertEquals(new Grid(3, 5, 1, 128, 0), Grid.warpPerRow(9, 5, 128), "9 rows, 4 warps per block");
        assertThrows(IllegalArgumentException.class, () -> Grid.warpPerRow(9, 5, 100), "block not a multiple of 32");
    }

    @Test
    void gridRejectsWhatTheHardwareRejects() {
        assertThrows(IllegalArgumentException.class, () -> new Grid(1, 65536, 1, 256, 0), "grid y over 65535");
        assertThrows(IllegalArgumentException.class, () -> new Grid(1, 1, 65536, 256, 0), "grid z over 65535");
        assertThrows(IllegalArgumentException.class, () -> new Grid(0, 1, 1, 256, 0), "empty grid x");
        assertThrows(IllegalArgumentException.class, () -> new Grid(1, 1, 1, 1025, 0), "block over 1024");
    }

    @Test
    void gemmGridTilesColumnsOnXRowsOnYBatchOnZ() {
        // [8466 x 512] output of the paper MLP for 3 models: 8 column tiles, 133 row tiles
        assertEquals(new Grid(8, 133, 3, 256, 0), OwnGemm.grid(8466, 512, 3), "gemm grid 8466x512, batch 3");
        assertEquals(new Grid(1, 1, 1, 256, 0), OwnGemm.grid(1, 1, 1), "gemm grid 1x1");
        assertEquals(new Grid(2, 1, 1, 256, 0), OwnGemm.grid(64, 65, 1), "gemm grid 64x65 crosses a column tile");
    }

    @Test
    void attentionGrids() {
        // forward: one thread per (example, head, query); backward: per (example, head)
        assertEquals(new Grid(Grid.blocksFor(2822L * 4 * 3, 128), 2, 1, 128, 0), AttentionKernels.forwardGrid(2, 2822, 4, 3), "forward grid");
        assertEquals(new Grid(Grid.blocksFor(2822L * 4, 128), 2, 1, 128, 0), AttentionKernels.backwardGrid(2, 2822, 4), "backward grid");
        AttentionKernels.checkContext(5);
        assertThrows(IllegalArgumentException.class, () -> AttentionKernels.checkContext(AttentionKernels.MAX_T + 1), "context too long");
    }

    @Test
    void reductionsUseOneBlockPerModel() {
        assertEquals(new Grid(7, 1, 1, XentKernels.REDUCE_BLOCK, 0), XentKernels.reduceGrid(7), "xent reduce grid");
        assertEquals(new Grid(7, 1, 1, AdamwKernels.PENALTY_BLOCK, 0), AdamwKernels.penaltyGrid(7), "lp penalty grid");
        assertEquals(new Grid(1, 1, 1, AdamwKernels.BLOCK, 0), AdamwKernels.advanceGrid(64), "step advance, 64 models");
        assertEquals(new Grid(2, 1, 1, AdamwKernels.BLOCK, 0), AdamwKernels.advanceGrid(257), "step advance, 257 models");
    }

    @Test
    void viewOffsetsAreInBytesOfFourByteElements() {
        assertEquals(0, DeviceStorage.byteOffset(0), "offset of element 0");
        assertEquals(4 * 12345L, DeviceStorage.byteOffset(12345), "offset of element 12345");
        assertEquals(4L * 3_000_000_000L, DeviceStorage.byteOffset(3_000_000_000L), "offsets beyond 2^31 elements stay exact");
        assertThrows(IllegalArgumentException.class, () -> DeviceStorage.byteOffset(-1), "negative offset");
    }

    @Test
    void scratchGrowsOnlyAndByAtLeastHalf() {
        assertEquals(100, Scratch.newCapacity(0, 100), "first request");
        assertEquals(100, Scratch.newCapacity(100, 60), "smaller request keeps the buffer");
        assertEquals(150, Scratch.newCapacity(100, 101), "a slightly larger request grows by half");
        assertEquals(1000, Scratch.newCapacity(100, 1000), "a much larger request gets what it asks");
    }

    @Test
    void repeatableWorkRunsThenCapturesThenReplays() {
        assertEquals(GraphCache.Action.RUN, GraphCache.actionFor(0), "first call");
        assertEquals(GraphCache.Action.CAPTURE, GraphCache.actionFor(1), "second call");
        assertEquals(GraphCache.Action.REPLAY, GraphCache.actionFor(2), "third call");
        assertEquals(GraphCache.Action.REPLAY, GraphCache.actionFor(100), "later calls");
    }

    @Test
    void cubinOnlyForComputeCapability90() {
        assertEquals("cubin", KernelModules.binaryFormat(9, 0), "H100 / H200");
        assertEquals("ptx", KernelModules.binaryFormat(8, 0), "A100 JIT-compiles the PTX");
        assertEquals("ptx", KernelModules.binaryFormat(10, 0), "newer GPUs JIT-compile the PTX");
        assertEquals("/kernels/gemm.ptx", KernelModules.resourceName("gemm", "ptx"), "resource name");
    }

    @Test
    void activationCodesMatchMlpCu() {
        assertEquals(0, MlpKernels.code(Activation.RELU), "ReLU is act 0 in mlp.cu");
        assertEquals(1, MlpKernels.code(Activation.GELU), "GELU is act 1 in mlp.cu");
    }

    @Test
    void gemmLaunchCarriesTransposesAndStrides() {
        RecordingLauncher r = new RecordingLauncher();
        DeviceView a = new DeviceView(new jcuda.driver.CUdeviceptr(), 100);
        new OwnGemm(r).run(10, 20, 30, 1f, Operand.transposed(a, 10), Operand.plain(a, 20), 1f, Operand.plain(a, 20), 3);
        assertEquals(1, r.launches.size(), "one launch per GEMM");
        assertEquals(OwnGemm.grid(10, 20, 3), r.launches.get(0).grid(), "GEMM grid");
        new OwnGemm(r).run(0, 20, 30, 1f, Operand.plain(a, 30), Operand.plain(a, 20), 0f, Operand.plain(a, 20), 3);
        assertEquals(1, r.launches.size(), "an empty GEMM launches nothing");
        assertThrows(IllegalArgumentException.class, () -> new Operand(a.ptr(), 0, 0, false), "leading dimension 0");
        assertTrue(Operand.plain(a, 8).rows(2, 3, 8).ld() == 24, "every third row of width 8 has leading dimension 24");
    }
}
