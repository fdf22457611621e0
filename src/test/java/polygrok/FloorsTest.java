package polygrok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floors of the code base, enforced: a package uses only packages on lower floors (never one
 * above it, never another room on its own floor), inside a package with subpackages the same holds
 * for its inner floors (the three backends never use each other, backend.select stands above them),
 * and no two packages depend on each other in a circle (a parent package and its subpackages
 * included). Reads every {@code polygrok.*} name in src/main (import lines and names written out in
 * full in the code) and the floors from docs/architecture.md ({@link FloorTable}), so the page is
 * the one list.
 */
class FloorsTest {

    static final Path SOURCES = Path.of("src/main/java/polygrok");

    /** One use of a name: file, the package it is in, the package of the name, and the name. */
    record Use(String file, String from, String to, String name) {
    }

    @Test
    void everyPackageStaysOnItsFloorAndNoPackagesFormACircle() throws IOException {
        List<Use> uses = uses(SOURCES);
        assertTrue(uses.size() > 300, "only " + uses.size() + " uses of polygrok names read from " + SOURCES.toAbsolutePath()
                + "; is the test running in the project directory?");
        FloorTable table = FloorTable.read();
        List<String> problems = new ArrayList<>(floorProblems(uses, table));
        problems.addAll(circles(uses));
        assertEquals(List.of(), problems, "the floors are broken:\n" + String.join("\n", problems));
    }

    /** Every package of src/main is on the page and every package on the page exists: the table cannot go stale. */
    @Test
    void theTableInTheDocsNamesExactlyThePackagesOfTheSources() throws IOException {
        FloorTable table = FloorTable.read();
        Set<String> listed = new TreeSet<>();
        table.floors().forEach(listed::addAll);
        table.inner().values().forEach(levels -> levels.forEach(listed::addAll));
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> dirs = Files.walk(SOURCES)) {
            for (Path d : dirs.filter(Files::isDirectory).filter(d -> !d.equals(SOURCES)).toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    if (files.anyMatch(f -> f.toString().endsWith(".java"))) {
                        packages.add(SOURCES.relativize(d).toString().replace('/', '.').replace('\\', '.'));
                    }
                }
            }
        }
        assertEquals(packages, listed, "packages of " + SOURCES + " vs the Floors section of " + FloorTable.DOC);
    }

    /** The order inside packages that the code relies on, as the docs must draw it. */
    @Test
    void theDocsDrawTheInnerOrderOfBackendIoAndAnalysis() throws IOException {
        FloorTable table = FloorTable.read();
        assertEquals(List.of(List.of("backend"), List.of("backend.cpuref", "backend.cpu", "backend.cuda"), List.of("backend.select")),
                table.inner().get("backend"), "backend's inner floors");
        assertEquals(List.of(List.of("io"), List.of("io.torch")), table.inner().get("io"), "io's inner floors");
        assertEquals(List.of(List.of("analysis"), List.of("analysis.paper")), table.inner().get("analysis"), "analysis's inner floors");
    }

    /** The checks themselves must be able to fail: an upward use, a use across one floor, a circle, an unplaced package. */
    @Test
    void theChecksCatchWhatTheyAreFor() {
        FloorTable table = FloorTable.parse(String.join("\n", "", "### Floors", "",
                "| floor | packages | what lives there |", "|---|---|---|",
                "| 4 | `cli` | commands |", "| 3 | `report` | pages |", "| 2 | `io`, `check`, `train` | files |",
                "| 1 | `backend` | the engine |", "| 0 | `tensor` | shapes |", "",
                "| package | inner floors, bottom first | what lives there |", "|---|---|---|",
                "| `backend` | `backend` below `backend.cpu`, `backend.cuda` below `backend.select` | the engine |",
                "| `io` | `io` below `io.torch` | the .pth reader |", "", "### Next", "| 9 | `nothing` | after the section |"));
        assertEquals(5, table.floors().size(), "floors read: " + table.floors());
        List<Use> bad = List.of(
                new Use("io/A.java", "polygrok.io", "polygrok.report", "Page"),
                new Use("check/B.java", "polygrok.check", "polygrok.train", "Trainer"),
                new Use("backend/C.java", "polygrok.backend", "polygrok.backend.cpu", "CpuBackend"),
                new Use("backend/cpu/D.java", "polygrok.backend.cpu", "polygrok.backend", "Backend"),
                new Use("extra/E.java", "polygrok.extra", "polygrok.tensor", "Tensor"),
                new Use("backend/cpu/F.java", "polygrok.backend.cpu", "polygrok.backend.cuda", "CudaBackend"),
                new Use("backend/cpu/G.java", "polygrok.backend.cpu", "polygrok.backend.select", "Backends"),
                new Use("io/H.java", "polygrok.io", "polygrok.io.torch", "PthReader"),
                new Use("backend/odd/I.java", "polygrok.backend.odd", "polygrok.tensor", "Tensor"));
        List<String> floors = floorProblems(bad, table);
        assertEquals(8, floors.size(), String.join("\n", floors));
        assertTrue(floors.get(0).contains("io/A.java") && floors.get(0).contains("up"), floors.get(0));
        assertTrue(floors.get(1).contains("check/B.java") && floors.get(1).contains("its own floor"), floors.get(1));
        assertTrue(floors.get(2).contains("backend/C.java") && floors.get(2).contains("up"), floors.get(2));
        assertTrue(floors.get(3).contains("backend/cpu/F.java") && floors.get(3).contains("its own inner floor"), floors.get(3));
        assertTrue(floors.get(4).contains("backend/cpu/G.java") && floors.get(4).contains("up"), floors.get(4));
        assertTrue(floors.get(5).contains("io/H.java") && floors.get(5).contains("up"), floors.get(5));
        assertTrue(floors.get(6).contains("polygrok.backend.odd") && floors.get(6).contains("no inner floor"), floors.get(6));
        assertTrue(floors.get(7).contains("polygrok.extra") && floors.get(7).contains("no floor"), floors.get(7));
        List<String> circles = circles(bad);
        assertEquals(1, circles.size(), String.join("\n", circles));
        assertTrue(circles.get(0).contains("polygrok.backend") && circles.get(0).contains("polygrok.backend.cpu"), circles.get(0));
        assertEquals(List.of(), floorProblems(List.of(new Use("cli/F.java", "polygrok.cli", "polygrok.train", "Trainer"),
                new Use("io/torch/J.java", "polygrok.io.torch", "polygrok.io", "Json"),
                new Use("backend/select/K.java", "polygrok.backend.select", "polygrok.backend.cuda", "CudaBackend"),
                new Use("cli/L.java", "polygrok.cli", "polygrok.backend.cpu", "CpuBackend")), table));
    }

    static List<String> floorProblems(List<Use> uses, FloorTable table) {
        List<String> problems = new ArrayList<>();
        Set<String> unplaced = new TreeSet<>(), unplacedInner = new TreeSet<>();
        for (Use u : uses) {
            String from = top(u.from()), to = top(u.to());
            Integer fromFloor = table.floor(from), toFloor = table.floor(to);
            if (fromFloor == null || toFloor == null) {
                unplaced.add("polygrok." + (fromFloor == null ? from : to));
                continue;
            }
            boolean placed = true;
            for (String pkg : List.of(u.from(), u.to())) {
                if (table.innerFloor(pkg.substring("polygrok.".length())) == null) {
                    unplacedInner.add(pkg);
                    placed = false;
                }
            }
            if (from.equals(to)) {
                if (placed) {
                    innerProblem(u, table).ifPresent(problems::add);
                }
            } else if (toFloor > fromFloor) {
                problems.add(u.file() + " uses " + u.to() + "." + u.name() + ": " + from + " (floor " + fromFloor + ") reaches up to "
                        + to + " (floor " + toFloor + ")");
            } else if (toFloor.equals(fromFloor)) {
                problems.add(u.file() + " uses " + u.to() + "." + u.name() + ": " + from + " and " + to + " are rooms on its own floor ("
                        + fromFloor + "); move what both need below both");
            }
        }
        for (String p : unplacedInner) {
            problems.add(p + " is on no inner floor of its package: place it in the Floors section of " + FloorTable.DOC);
        }
        for (String p : unplaced) {
            problems.add(p + " is on no floor: place it in the Floors section of " + FloorTable.DOC);
        }
        return problems;
    }

    /** A use between two packages of one top-level package: only down to a lower inner floor. */
    private static Optional<String> innerProblem(Use u, FloorTable table) {
        String from = u.from().substring("polygrok.".length()), to = u.to().substring("polygrok.".length());
        int fromInner = table.innerFloor(from), toInner = table.innerFloor(to);
        if (toInner > fromInner) {
            return Optional.of(u.file() + " uses " + u.to() + "." + u.name() + ": " + from + " (inner floor " + fromInner
                    + ") reaches up to " + to + " (inner floor " + toInner + ")");
        }
        if (toInner == fromInner) {
            return Optional.of(u.file() + " uses " + u.to() + "." + u.name() + ": " + from + " and " + to
                    + " are rooms on its own inner floor (" + fromInner + "); move what both need below both");
        }
        return Optional.empty();
    }

    /** Every set of two or more packages that reach each other (Tarjan's strongly connected components). */
    static List<String> circles(List<Use> uses) {
        Map<String, Map<String, Use>> edges = new TreeMap<>();
        for (Use u : uses) {
            if (!u.from().equals(u.to())) {
                edges.computeIfAbsent(u.from(), k -> new TreeMap<>()).putIfAbsent(u.to(), u);
                edges.computeIfAbsent(u.to(), k -> new TreeMap<>());
            }
        }
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<String> found = new ArrayList<>();
        int[] next = {0};
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, edges, index, low, stack, onStack, next, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Map<String, Use>> edges, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, int[] next, List<String> found) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.get(v).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, next, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                StringBuilder why = new StringBuilder("packages in a circle: " + component + "; through");
                for (String a : component) {
                    for (Map.Entry<String, Use> e : edges.get(a).entrySet()) {
                        if (component.contains(e.getKey())) {
                            why.append(" ").append(e.getValue().file()).append(" -> ").append(e.getKey()).append(".").append(e.getValue().name()).append(";");
                        }
                    }
                }
                found.add(why.toString());
            }
        }
    }

    private static String top(String pkg) {
        String[] parts = pkg.split("\\.");
        return parts.length > 1 ? parts[1] : "";
    }

    private static final Pattern PACKAGE = Pattern.compile("^package (polygrok[\\w.]*);", Pattern.MULTILINE);
    /** A polygrok name: lower-case package parts, then the first upper-case part is the type. */
    private static final Pattern NAME = Pattern.compile("\\bpolygrok((?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    static List<Use> uses(Path root) throws IOException {
        List<Use> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String src = Files.readString(f);
                Matcher pm = PACKAGE.matcher(src);
                if (!pm.find()) {
                    continue;
                }
                String from = pm.group(1);
                String code = withoutCommentsAndStrings(src);
                Matcher m = NAME.matcher(code);
                while (m.find()) {
                    String to = "polygrok" + m.group(1);
                    if (!to.equals(from) && !to.equals("polygrok")) {
                        uses.add(new Use(root.relativize(f).toString(), from, to, m.group(2)));
                    }
                }
            }
        }
        return uses;
    }

    /** The source with comments, string literals and text blocks blanked, so that prose naming a class does not count. */
    static String withoutCommentsAndStrings(String src) {
        String s = src.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"");
        s = s.replaceAll("(?s)/\\*.*?\\*/", " ");
        s = s.replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
        return s.replaceAll("//[^\\n]*", " ");
    }
}
