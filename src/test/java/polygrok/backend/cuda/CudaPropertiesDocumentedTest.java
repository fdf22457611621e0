package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code -Dpolygrok.cuda.*} property the cuda package reads is documented in package-info.java and
 * named in CudaBackend's class comment, and neither names one that nothing reads: the lists went stale once.
 * Tests run from the project root, where the sources are.
 */
class CudaPropertiesDocumentedTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "polygrok", "backend", "cuda");
    /** A property as a string literal in code: where it is read (or the constant it is read through) is defined. */
    private static final Pattern LITERAL = Pattern.compile("\"(polygrok\\.cuda\\.[A-Za-z0-9_]+)\"");
    /** A property named anywhere in a comment or literal. */
    private static final Pattern NAMED = Pattern.compile("polygrok\\.cuda\\.[A-Za-z0-9_]+");

    private static Set<String> matches(Pattern p, String text, int group) {
        Set<String> found = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    private static Set<String> readInCode() throws IOException {
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).toList()) {
                read.addAll(matches(LITERAL, Files.readString(f), 1));
            }
        }
        return read;
    }

    /** The class comment of CudaBackend: everything before the class declaration. */
    private static String backendComment() throws IOException {
        String source = Files.readString(SOURCES.resolve("CudaBackend.java"));
        return source.substring(0, source.indexOf("public final class CudaBackend"));
    }

    @Test
    void packageDocumentationListsExactlyThePropertiesRead() throws IOException {
        Set<String> read = readInCode();
        assertFalse(read.isEmpty(), "no polygrok.cuda.* literal found under " + SOURCES + ": has the scan gone wrong?");
        assertEquals(read, matches(NAMED, Files.readString(SOURCES.resolve("package-info.java")), 0),
                "properties read in code vs documented in package-info.java");
        assertEquals(read, matches(NAMED, backendComment(), 0), "properties read in code vs named in CudaBackend's class comment");
    }
}
