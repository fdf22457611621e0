package polygrok.backend.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel sources of src/main/cuda as text, for tests that tie Java constants to the numbers the kernels
 * were compiled with (a launcher that disagrees with a kernel's array sizes writes out of bounds on a GPU).
 */
final class KernelSources {
    static final Path DIR = Path.of("src", "main", "cuda");

    private KernelSources() {
    }

    static String read(String file) {
        try {
            return Files.readString(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + DIR.resolve(file) + " (tests run from the project root)", e);
        }
    }

    /** The integer of {@code #define name N} in {@code file}; fails unless exactly one such line exists. */
    static int define(String file, String name) {
        Matcher m = Pattern.compile("(?m)^#define\\s+" + Pattern.quote(name) + "\\s+(-?\\d+)\\s*(//.*)?$").matcher(read(file));
        if (!m.find()) {
            throw new AssertionError("no line '#define " + name + " <integer>' in " + DIR.resolve(file));
        }
        int value = Integer.parseInt(m.group(1));
        if (m.find()) {
            throw new AssertionError("#define " + name + " appears twice in " + DIR.resolve(file));
        }
        return value;
    }
}
