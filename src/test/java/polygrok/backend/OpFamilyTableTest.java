package polygrok.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The op-family table of docs/architecture.md names, per family, the Backend methods and the files that
 * implement and test them. Every name in it must exist: a Backend method (a trailing * stands for any
 * ending), a class (a .java file under src/main/java or src/test/java), a kernel file in src/main/cuda,
 * or a case of the host emulation (src/test/cuda/host_emulation_test.cpp). Renames left the table stale
 * once. Tests run from the project root, where the docs are.
 */
class OpFamilyTableTest {
    private static final Path DOC = Path.of("docs", "architecture.md");
    private static final Path CUDA = Path.of("src", "main", "cuda");
    private static final Path HOST_CASES = Path.of("src", "test", "cuda", "host_emulation_test.cpp");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final String HEADER = "| family | Backend methods | reference (cpuref) | fast CPU (cpu) | kernel file | launcher"
            + " | conformance test | host emulation |";
    /** Backend names, which a cell may mention without naming a file. */
    private static final Set<String> BACKENDS = Set.of("cpuref", "cpu", "cuda");

    /** The table's rows, each split into its cells (the leading and trailing pipes dropped). */
    static List<String[]> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(DOC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOC + " (tests run from the project root)", e);
        }
        int header = lines.indexOf(HEADER);
        assertTrue(header >= 0, "no op-family table in " + DOC + " with the header " + HEADER);
        List<String[]> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i).trim();
            rows.add(line.substring(1, line.length() - 1).split("\\|"));
        }
        return rows;
    }

    private static List<String> names(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }

    private static Set<String> javaClasses() throws IOException {
        Set<String> out = new HashSet<>();
        for (String root : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                        .forEach(n -> out.add(n.substring(0, n.length() - ".java".length())));
            }
        }
        return out;
    }

    private static boolean backendHas(String method) {
        boolean prefix = method.endsWith("*");
        String stem = prefix ? method.substring(0, method.length() - 1) : method;
        for (Method m : Backend.class.getMethods()) {
            if (prefix ? m.getName().startsWith(stem) : m.getName().equals(stem)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyNameInTheFamilyTableExists() throws IOException {
        List<String[]> rows = rows();
        assertTrue(rows.size() >= 12, "the family table has " + rows.size() + " rows; has its parsing gone wrong?");
        Set<String> classes = javaClasses();
        String hostCases = Files.readString(HOST_CASES);
        List<String> missing = new ArrayList<>();
        for (String[] row : rows) {
            assertEquals(8, row.length, "cells in the row of family" + row[0]);
            String family = row[0].trim();
            for (String method : names(row[1])) {
                if (!backendHas(method)) {
                    missing.add(family + ": Backend method " + method);
                }
            }
            for (int col = 2; col < row.length; col++) {
                for (String name : names(row[col])) {
                    boolean exists;
                    if (name.endsWith(".cu")) {
                        exists = Files.isRegularFile(CUDA.resolve(name));
                    } else if (name.endsWith("_case")) {
                        exists = hostCases.contains("static void " + name + "(");
                    } else if (Character.isUpperCase(name.charAt(0))) {
                        exists = classes.contains(name);
                    } else {
                        exists = BACKENDS.contains(name);
                    }
                    if (!exists) {
                        missing.add(family + ": " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "names in the family table of " + DOC + " that do not exist in the repository");
    }
}
