package polygrok.backend.cuda;

/**
 * Where the kernel launchers send their launches: {@link KernelRunner} on a device; a recording
 * stand-in in tests, which checks names and argument lists against the compiled PTX without a GPU.
 */
interface Launcher {
    void launch(String family, String kernel, Grid grid, KernelArgs args);
}
