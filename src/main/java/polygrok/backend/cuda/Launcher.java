package polygrok.backend.cuda;

/**
 * Where the kernel launchers send their launches: {@link KernelRunner} on a device; a recording
 * stand-in in tests, which checks names and argument lists against the compiled PTX without a GPU.
 */
interface Launcher {
    void launch(String family, String kernel, Grid grid, KernelArgs args);

    /**
     * A launch the kernel profile leaves out: a kernel that only holds the stream while the profile
     * is set up does no one's work, and timing it would count its wait as work.
     */
    default void launchUntimed(String family, String kernel, Grid grid, KernelArgs args) {
        launch(family, kernel, grid, args);
    }
}
