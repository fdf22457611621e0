package polygrok.backend.cuda;

/**
 * The GPU that host tests plan GEMMs for when no device is there to ask: an H100/H200 with 132 SMs, the
 * chip the pinned plans and launch counts were worked out for. On a device the backend asks for its own SM count.
 */
final class PlannedGpu {
    static final int MULTIPROCESSORS = 132;

    private PlannedGpu() {
    }
}
