package polygrok.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the tests find the PyTorch reference files: src/test/resources/reference, read from the test
 * classpath, so a plain clone has them. {@code -Dpolygrok.reference.dir=DIR} puts another directory of
 * files in the same format in its place (bench/gpu-check.sh passes the one it carried to the GPU).
 */
public final class ReferenceFiles {

    public static final String DIRECTORY_PROPERTY = "polygrok.reference.dir";
    /** The carried files' folder on the test classpath (src/test/resources/reference). */
    static final String RESOURCE = "/reference";

    private ReferenceFiles() {
    }

    /** The reference directory: -Dpolygrok.reference.dir when set, else the carried one; a missing one fails. */
    public static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        Path dir = configured == null || configured.isBlank() ? carried() : Path.of(configured);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(DIRECTORY_PROPERTY + " names " + dir.toAbsolutePath() + ", which is not a directory");
        }
        return dir;
    }

    /** The reference file called {@code <name>.safetensors}; a missing one fails. */
    public static Path named(String name) {
        Path file = directory().resolve(name + ".safetensors");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no reference file " + file.toAbsolutePath());
        }
        return file;
    }

    /** Every {@code .safetensors} file of the reference directory, sorted by name. */
    public static List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    private static Path carried() {
        URL url = ReferenceFiles.class.getResource(RESOURCE + "/README.md");
        if (url == null) {
            throw new IllegalStateException(RESOURCE + "/README.md is not on the test classpath (src/test/resources/reference)");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(url + ": " + e.getMessage(), e));
        }
    }
}
