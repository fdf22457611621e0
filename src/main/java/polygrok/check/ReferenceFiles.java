package polygrok.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the PyTorch reference files are: the directory named by {@code -Dpolygrok.reference.dir}, else ../shared/reference. */
public final class ReferenceFiles {

    public static final String DIRECTORY_PROPERTY = "polygrok.reference.dir";
    private static final Path DEFAULT_DIRECTORY = Path.of("..", "shared", "reference");

    private ReferenceFiles() {
    }

    /** The reference directory, if it exists (relative paths resolve against the working directory). */
    public static Optional<Path> directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        Path dir = configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : Path.of(configured);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** The reference file called {@code <name>.safetensors}, if the directory and the file exist. */
    public static Optional<Path> named(String name) {
        return directory().map(d -> d.resolve(name + ".safetensors")).filter(Files::isRegularFile);
    }

    /** Every {@code .safetensors} file of {@code dir}, sorted by name. */
    public static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
    }
}
