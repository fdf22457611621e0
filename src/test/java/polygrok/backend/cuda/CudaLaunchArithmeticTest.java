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
    void gemmGridTilesColumnsOnXRowsOnYBatchAndSplitsOnZ() {
        // [8466 x 512] output of the paper MLP for 3 models: 8 column tiles, 133 row tiles
        assertEquals(new Grid(8, 133, 3, 256, 0), OwnGemm.grid(8466, 512, 3, 1, 64), "gemm grid 8466x512, batch 3");
        assertEquals(new Grid(1, 1, 1, 256, 0), OwnGemm.grid(1, 1, 1, 1, 64), "gemm grid 1x1");
        assertEquals(new Grid(2, 1, 1, 256, 0), OwnGemm.grid(64, 65, 1, 1, 64), "gemm grid 64x65 crosses a column tile");
        assertEquals(new Grid(2, 2, 32, 256, 0), OwnGemm.grid(128, 128, 2, 16, 64), "2 models x 16 splits on z");
        assertEquals(new Grid(64, 3, 1, 256, 0), OwnGemm.reduceGrid(128, 128, 3), "split reduction: one thread per output");
    }

    @Test
    void largestTileThatFillsAWave() {
        assertEquals(new Grid(4, 67, 3, 256, 0), OwnGemm.grid(8466, 512, 3, 1, 128), "128-wide tiles of 8466x512");
        assertEquals(new Grid(4, 89, 1, 256, 0), OwnGemm.grid(2822, 128, 1, 1, 32), "32-wide tiles of 2822x128");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(16896, 128, 128, 1, PlannedGpu.MULTIPROCESSORS), "exactly one wave of 132 big tiles");
        assertEquals(new GemmPlan("sgemm_medium", 64, 1), OwnGemm.plan(16768, 128, 128, 1, PlannedGpu.MULTIPROCESSORS), "131 big tiles; 262 of 64");
        assertEquals(new GemmPlan("sgemm_medium", 64, 1), OwnGemm.plan(4224, 128, 128, 1, PlannedGpu.MULTIPROCESSORS), "exactly one wave of 132 64-wide tiles");
        assertEquals(new GemmPlan("sgemm_small", 32, 1), OwnGemm.plan(4160, 128, 128, 1, PlannedGpu.MULTIPROCESSORS), "130 64-wide tiles; 520 of 32");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(8466, 128, 128, 2, PlannedGpu.MULTIPROCESSORS), "8466x128, 2 models: 134 big tiles");
        // nothing reaches a wave: the most blocks, the smaller tile on a tie
        assertEquals(new GemmPlan("sgemm_small", 32, 1), OwnGemm.plan(70, 130, 67, 1, PlannedGpu.MULTIPROCESSORS), "15 small tiles beat 6 and 2");
        assertEquals(new GemmPlan("sgemm_small", 32, 1), OwnGemm.plan(1, 1, 1, 1, PlannedGpu.MULTIPROCESSORS), "a single element: one block of every size");
        assertEquals(new GemmPlan("sgemm_small", 32, 2), OwnGemm.plan(100, 40, 300, 1, PlannedGpu.MULTIPROCESSORS),
                "8 small tiles: K 300 split in 2 (128 of K per split at least)");
        assertEquals(new GemmPlan("sgemm_medium", 64, 1), OwnGemm.plan(100, 40, 300, 100, PlannedGpu.MULTIPROCESSORS),
                "100 models: 200 64-wide tiles, no split");
        assertThrows(IllegalArgumentException.class, () -> new GemmPlan("sgemm_big", 128, 0), "splits 0 rejected");
    }

    /** Products of the paper model (p 97: 2822 training examples, 8466 = 3 positions each; d 128, d_mlp 512). */
    @Test
    void paperProductsWithOneModel() {
        assertEquals(new GemmPlan("sgemm_small", 32, 1), OwnGemm.plan(2822, 128, 128, 1, PlannedGpu.MULTIPROCESSORS),
                "2822x128 K 128: 23 big, 90 64-wide tiles < 132; 356 of 32");
        assertEquals(new GemmPlan("sgemm_small", 32, 1), OwnGemm.plan(2822, 128, 512, 1, PlannedGpu.MULTIPROCESSORS), "2822x128 K 512: 356 small tiles, no split");
        assertEquals(new GemmPlan("sgemm_small", 32, 1), OwnGemm.plan(2822, 102, 128, 1, PlannedGpu.MULTIPROCESSORS), "2822x102 logits: 356 small tiles");
        assertEquals(new GemmPlan("sgemm_medium", 64, 1), OwnGemm.plan(2822, 512, 128, 1, PlannedGpu.MULTIPROCESSORS),
                "2822x512: 92 big tiles < 132; 360 of 64");
        assertEquals(new GemmPlan("sgemm_medium", 64, 1), OwnGemm.plan(8466, 128, 128, 1, PlannedGpu.MULTIPROCESSORS), "8466x128: 67 big, 266 of 64");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(8466, 384, 128, 1, PlannedGpu.MULTIPROCESSORS), "8466x384: 201 big tiles");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(8466, 512, 128, 1, PlannedGpu.MULTIPROCESSORS), "8466x512: 268 big tiles");
        // weight gradients, K = every row: split K, on the small tile when the others stay short of a wave
        assertEquals(new GemmPlan("sgemm_small", 32, 17), OwnGemm.plan(128, 128, 8466, 1, PlannedGpu.MULTIPROCESSORS),
                "dW 128x128 K 8466: 16 big, 64 mid blocks after splits; 16 small tiles x ceil(264 / 16)");
        assertEquals(new GemmPlan("sgemm_small", 32, 5), OwnGemm.plan(512, 128, 2822, 1, PlannedGpu.MULTIPROCESSORS),
                "dW 512x128 K 2822: 4 x 5 big, 16 x 5 mid blocks; 64 small tiles x 5 splits");
        assertEquals(new GemmPlan("sgemm_medium", 64, 16), OwnGemm.plan(512, 128, 8466, 1, PlannedGpu.MULTIPROCESSORS),
                "dW 512x128 K 8466: 4 big tiles x 16 < 132; 16 mid tiles x 16 splits");
    }

    @Test
    void paperProductsWithSixteenModels() {
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(2822, 128, 128, 16, PlannedGpu.MULTIPROCESSORS), "2822x128, 16 models: 368 big tiles");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(2822, 512, 128, 16, PlannedGpu.MULTIPROCESSORS), "2822x512, 16 models: 1472 big tiles");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(8466, 128, 512, 16, PlannedGpu.MULTIPROCESSORS), "8466x128, 16 models: 1072 big tiles");
        assertEquals(new GemmPlan("sgemm_big", 128, 16), OwnGemm.plan(128, 128, 8466, 16, PlannedGpu.MULTIPROCESSORS),
                "dW 128x128, 16 models: 16 big tiles x 16 splits = 256 blocks");
        assertEquals(new GemmPlan("sgemm_big", 128, 5), OwnGemm.plan(512, 128, 8466, 16, PlannedGpu.MULTIPROCESSORS),
                "dW 512x128, 16 models: 64 big tiles x ceil(264 / 64) = 5 splits");
        assertEquals(new GemmPlan("sgemm_medium", 64, 5), OwnGemm.plan(128, 102, 2822, 16, PlannedGpu.MULTIPROCESSORS),
                "dW_U 128x102 K 2822, 16 models: 16 big tiles x 5 (K / 512) < 132; 64 mid tiles x 5");
    }

    @Test
    void splitKOnlyForSmallOutputsWithLongK() {
        // dW_Q of the paper model, one model: 128 x 128 output (4 tiles), K = 8466 rows
        assertEquals(16, OwnGemm.splitsFor(128, 128, 8466, 1, 64, PlannedGpu.MULTIPROCESSORS), "4 tiles, K 8466: limited by K / 512");
        assertEquals(1, OwnGemm.splitsFor(8466, 512, 128, 1, 64, PlannedGpu.MULTIPROCESSORS), "forward product: many tiles, short K");
        assertEquals(1, OwnGemm.splitsFor(128, 128, 900, 1, 64, PlannedGpu.MULTIPROCESSORS), "K too short to split");
        assertEquals(1, OwnGemm.splitsFor(128, 512, 8466, 64, 64, PlannedGpu.MULTIPROCESSORS), "64 models already fill the GPU");
        assertEquals(5, OwnGemm.splitsFor(128, 512, 8466, 4, 64, PlannedGpu.MULTIPROCESSORS), "64 tiles: ceil(264 / 64) = 5 splits reach the target");
        int s = OwnGemm.splitsFor(64, 64, 1 << 20, 1, 64, PlannedGpu.MULTIPROCESSORS);
        assertEquals(OwnGemm.MAX_SPLITS, s, "very long K: capped");
        assertTrue(OwnGemm.splitsFor(64, 64, 1 << 20, 60000, 64, PlannedGpu.MULTIPROCESSORS) * 60000L <= Grid.MAX_GRID_YZ, "batch x splits fits grid z");
        // the 32-wide tile splits from K = 256 on, 128 of K per split at least
        assertEquals(1, OwnGemm.splitsFor(100, 40, 255, 1, 32, PlannedGpu.MULTIPROCESSORS), "K 255: too short for the small tile too");
        assertEquals(2, OwnGemm.splitsFor(100, 40, 256, 1, 32, PlannedGpu.MULTIPROCESSORS), "K 256: two splits of 128");
        assertEquals(1, OwnGemm.splitsFor(100, 40, 1023, 1, 64, PlannedGpu.MULTIPROCESSORS), "the 64-wide tile still needs K 1024");
        assertEquals(17, OwnGemm.splitsFor(128, 128, 8466, 1, 32, PlannedGpu.MULTIPROCESSORS), "16 small tiles: ceil(264 / 16) = 17 splits");
    }

    @Test
    void wavesFollowTheDevicesMultiprocessors() {
        assertEquals(264, OwnGemm.targetBlocks(132), "two waves of a 132-SM H100");
        assertEquals(new GemmPlan("sgemm_big", 128, 1), OwnGemm.plan(8466, 128, 128, 1, 66),
                "8466x128: 67 big tiles fill a wave of 66 SMs (not of 132)");
        assertEquals(new GemmPlan("sgemm_medium", 64, 1), OwnGemm.plan(16896, 128, 128, 1, 133),
                "132 big tiles fall short of a wave of 133 SMs");
        assertEquals(3, OwnGemm.splitsFor(128, 512, 8466, 4, 64, 66), "64 tiles: ceil(132 / 64) = 3 splits on 66 SMs");
        Scratch none = new Scratch(new HostHeap(1 << 10), () -> { }, () -> false);
        assertThrows(IllegalArgumentException.class, () -> new OwnGemm(new RecordingLauncher(), none, 0), "no SMs");
    }

    @Test
    void attentionGrids() {
        // forward: one warp per (example, head, query); backward: one warp per (example, head)
        // 2822 examples x 4 heads x 3 queries = 33864 warps, 4 per block of 128 threads
        assertEquals(new Grid(8466, 2, 1, 128, 0), AttentionKernels.forwardGrid(2, 2822, 4, 3), "forward grid");
        // 2822 x 4 = 11288 warps
        assertEquals(new Grid(2822, 2, 1, 128, 0), AttentionKernels.backwardGrid(2, 2822, 4), "backward grid");
        assertEquals(new Grid(1, 1, 1, 128, 0), AttentionKernels.backwardGrid(1, 1, 1), "one warp");
        int maxT = KernelSources.define("common.cuh", "MAX_T");
        AttentionKernels.checkContext(1);
        AttentionKernels.checkContext(maxT);
        assertThrows(IllegalArgumentException.class, () -> AttentionKernels.checkContext(maxT + 1), "context longer than MAX_T of common.cuh");
        assertThrows(IllegalArgumentException.class, () -> AttentionKernels.checkContext(0), "empty context");
    }

    @Test
    void reductionsUseOneBlockPerModel() {
        // the block is the size of block_sum's shared array (common.cuh), the models on x
        int threads = KernelSources.define("common.cuh", "REDUCE_THREADS");
        assertEquals(new Grid(7, 1, 1, threads, 0), CrossEntropyKernels.reduceGrid(7), "cross-entropy reduce grid");
        assertEquals(new Grid(7, 1, 1, threads, 0), NormsKernels.penaltyGrid(7), "lp penalty grid");
        assertEquals(new Grid(5, 7, 1, threads, 0), NormsKernels.normsGrid(5, 7), "norms grid: stretches on x, models on y");
        // one thread per model, blocks of 256
        assertEquals(new Grid(1, 1, 1, 256, 0), AdamWKernels.advanceGrid(64), "step advance, 64 models");
        assertEquals(new Grid(2, 1, 1, 256, 0), AdamWKernels.advanceGrid(257), "step advance, 257 models");
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
        assertEquals(KernelSources.define("activation.cu", "ACT_RELU"), ActivationKernels.code(Activation.RELU), "ReLU vs ACT_RELU of activation.cu");
        assertEquals(KernelSources.define("activation.cu", "ACT_GELU"), ActivationKernels.code(Activation.GELU), "GELU vs ACT_GELU of activation.cu");
        String mlp = KernelSources.read("activation.cu");
        assertTrue(mlp.contains("act == ACT_RELU ?") && mlp.contains("if (act == ACT_RELU)"),
                "activation.cu must branch on ACT_RELU by name (a bare number would not follow the define)");
    }

    @Test
    void gemmLaunchCarriesTransposesAndStrides() {
        RecordingLauncher r = new RecordingLauncher();
        DeviceView a = new DeviceView(new jcuda.driver.CUdeviceptr(), 100);
        OwnGemm gemm = new OwnGemm(r, new Scratch(new HostHeap(1 << 20), () -> { }, () -> false), PlannedGpu.MULTIPROCESSORS);
        gemm.run(10, 20, 30, 1f, Operand.transposed(a, 10), Operand.plain(a, 20), 1f, Operand.plain(a, 20), 3);
        assertEquals(1, r.launches.size(), "one launch per GEMM");
        assertEquals("sgemm_small", r.launches.get(0).kernel(), "3 models of 10x20 fit one small tile each");
        assertEquals(OwnGemm.grid(10, 20, 3, 1, 32), r.launches.get(0).grid(), "GEMM grid");
        gemm.run(0, 20, 30, 1f, Operand.plain(a, 30), Operand.plain(a, 20), 0f, Operand.plain(a, 20), 3);
        assertEquals(1, r.launches.size(), "an empty GEMM launches nothing");
        assertThrows(IllegalArgumentException.class, () -> new Operand(a.ptr(), 0, 0, false), "leading dimension 0");
        assertTrue(Operand.plain(a, 8).rows(2, 3, 8).ld() == 24, "every third row of width 8 has leading dimension 24");
        gemm.run(128, 128, 8466, 1f, Operand.transposed(a, 128), Operand.plain(a, 128), 1f, Operand.plain(a, 128), 1);
        assertEquals(3, r.launches.size(), "a split GEMM launches the product and the reduction");
        assertEquals("gemm_reduce_splits", r.launches.get(2).kernel(), "the reduction comes second");
        gemm.run(2822, 512, 128, 1f, Operand.plain(a, 128), Operand.transposed(a, 128), 0f, Operand.plain(a, 512), 16);
        assertEquals("sgemm_big", r.launches.get(3).kernel(), "16 models of 2822x512 take the big tiles");
        assertEquals(OwnGemm.grid(2822, 512, 16, 1, 128), r.launches.get(3).grid(), "big-tile grid");
        gemm.run(2822, 128, 128, 1f, Operand.plain(a, 128), Operand.transposed(a, 128), 0f, Operand.plain(a, 128), 1);
        assertEquals("sgemm_small", r.launches.get(4).kernel(), "one model of 2822x128 takes the small tiles");
        assertEquals(OwnGemm.grid(2822, 128, 1, 1, 32), r.launches.get(4).grid(), "small-tile grid");
    }

    @Test
    void tensorViewsBecomeDeviceAddresses() {
        DeviceStorage s = new DeviceStorage(HostHeap.pointer(100), 500, polygrok.tensor.DType.F32, () -> { });
        polygrok.tensor.Tensor view = new polygrok.tensor.Tensor(s, 7, polygrok.tensor.Shape.of(3, 4, 5), 50);
        DeviceView v = DeviceView.of(view, polygrok.tensor.DType.F32);
        assertEquals(107, HostHeap.index(v.ptr()), "element address of a view at offset 7");
        assertEquals(50, v.modelStride(), "model stride carried to the kernels");
        assertEquals(107 + 4 * 5, HostHeap.index(Operand.plain(v, 5).rows(4, 3, 5).ptr()), "row subset starting at row 4");
        assertThrows(IllegalArgumentException.class, () -> DeviceView.of(view, polygrok.tensor.DType.I32), "dtype checked");
    }
}
