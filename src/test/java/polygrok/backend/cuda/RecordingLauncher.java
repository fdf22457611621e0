package polygrok.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/** A {@link Launcher} that records launches instead of running them, for checks without a GPU. */
final class RecordingLauncher implements Launcher {
    record Launch(String family, String kernel, Grid grid, List<String> ptxTypes) {
    }

    final List<Launch> launches = new ArrayList<>();

    @Override
    public void launch(String family, String kernel, Grid grid, KernelArgs args) {
        launches.add(new Launch(family, kernel, grid, args.ptxTypes()));
    }
}
