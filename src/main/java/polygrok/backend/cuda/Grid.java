package polygrok.backend.cuda;

/**
 * A kernel launch configuration. The compact constructor rejects what the hardware would reject, so
 * that a bad launch fails here with the numbers rather than as a bare CUDA error.
 */
record Grid(long gridX, long gridY, long gridZ, int blockX, int sharedBytes) {
    static final long MAX_GRID_X = (1L << 31) - 1;
    static final long MAX_GRID_YZ = 65535;

    Grid {
        if (gridX < 1 || gridX > MAX_GRID_X) {
            throw new IllegalArgumentException("grid x " + gridX + " outside [1, " + MAX_GRID_X + "]");
        }
        if (gridY < 1 || gridY > MAX_GRID_YZ || gridZ < 1 || gridZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("grid y " + gridY + " / z " + gridZ + " outside [1, " + MAX_GRID_YZ + "]");
        }
        if (blockX < 1 || blockX > 1024) {
            throw new IllegalArgumentException("block size " + blockX + " outside [1, 1024]");
        }
        if (sharedBytes < 0) {
            throw new IllegalArgumentException("negative shared memory " + sharedBytes);
        }
    }

    /** Blocks of {@code block} threads covering {@code n} items: ceil(n / block). */
    static long blocksFor(long n, int block) {
        if (n < 1) {
            throw new IllegalArgumentException("nothing to launch over: n = " + n);
        }
        return (n + block - 1) / block;
    }

    /** One thread per item of each model: x covers n items, y the models. */
    static Grid perModel(long n, int models, int block) {
        return new Grid(blocksFor(n, block), models, 1, block, 0);
    }

    /** One warp per row of each model, {@code block / 32} rows per block, y the models. */
    static Grid warpPerRow(long rows, int models, int block) {
        if (block % 32 != 0) {
            throw new IllegalArgumentException("a warp-per-row block needs a multiple of 32 threads, got " + block);
        }
        return new Grid(blocksFor(rows, block / 32), models, 1, block, 0);
    }
}
