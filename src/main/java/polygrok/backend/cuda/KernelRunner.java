package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import jcuda.CudaException;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;

/**
 * Launches kernels on the backend's one stream and checks every launch. With
 * {@code -Dpolygrok.cuda.sync=true} it also waits after each launch (outside graph capture) so that an
 * error inside a kernel is reported against that kernel rather than a later call.
 */
final class KernelRunner implements Launcher {
    static final String SYNC_PROPERTY = "polygrok.cuda.sync";

    private final KernelModules modules;
    private final CUstream stream;
    private final boolean syncEachLaunch;
    private final Runnable bindContext;
    private boolean capturing;
    /** Per-kernel GPU times when profiling is on (-Dpolygrok.cuda.profile=true), else null. */
    private final KernelProfile profile = KernelProfile.enabled() ? new KernelProfile() : null;

    /** {@code bindContext} makes the backend's context current on the calling thread (cheap once bound). */
    KernelRunner(KernelModules modules, CUstream stream, Runnable bindContext) {
        this.modules = modules;
        this.stream = stream;
        this.bindContext = bindContext;
        this.syncEachLaunch = Boolean.getBoolean(SYNC_PROPERTY);
    }

    CUstream stream() {
        return stream;
    }

    boolean capturing() {
        return capturing;
    }

    KernelProfile profile() {
        return profile;
    }

    void setCapturing(boolean capturing) {
        this.capturing = capturing;
    }

    @Override
    public void launch(String family, String kernel, Grid grid, KernelArgs args) {
        launch(family, kernel, grid, args, true);
    }

    @Override
    public void launchUntimed(String family, String kernel, Grid grid, KernelArgs args) {
        launch(family, kernel, grid, args, false);
    }

    private void launch(String family, String kernel, Grid grid, KernelArgs args, boolean timeIt) {
        bindContext.run();
        boolean timed = profile != null && timeIt;
        jcuda.driver.CUevent started = timed ? profile.begin(stream) : null;
        int result;
        try {
            result = cuLaunchKernel(modules.function(family, kernel),
                    (int) grid.gridX(), (int) grid.gridY(), (int) grid.gridZ(), grid.blockX(), 1, 1,
                    grid.sharedBytes(), stream, args.toPointer(), null);
        } catch (CudaException e) {
            throw new IllegalStateException("kernel launch failed: " + describe(family, kernel, grid) + ": " + e.getMessage(), e);
        }
        if (result != CUresult.CUDA_SUCCESS) {
            check(result, "kernel launch " + describe(family, kernel, grid));
        }
        if (timed) {
            profile.end(describe(family, kernel, grid), started, stream);
        }
        if (syncEachLaunch && !capturing) {
            try {
                result = cuStreamSynchronize(stream);
            } catch (CudaException e) {
                throw new IllegalStateException("kernel failed while running: " + describe(family, kernel, grid) + ": " + e.getMessage(), e);
            }
            check(result, "kernel run " + describe(family, kernel, grid));
        }
    }

    /** Built only on failure: launches are hot. */
    private static String describe(String family, String kernel, Grid grid) {
        return family + "." + kernel + " " + grid;
    }

    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException(what + " returned " + CUresult.stringFor(result));
        }
    }
}
