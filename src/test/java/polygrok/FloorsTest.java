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
 * above it, never another room on its own floor), and no two packages depend on each other in a
 * circle (a parent package and its subpackages included). Reads every {@code polygrok.*} name in
 * src/main: import lines and names written out in full in the code.
 */
class FloorsTest {
    /** Bottom first. The same list is drawn in docs/architecture.md; change both together. */
    static final List<List<String>> FLOORS = List.of(
            List.of("tensor", "config"),
            List.of("backend", "data"),
            List.of("autograd"),
            List.of("model"),
            List.of("io"),
            List.of("train", "check", "analysis"),
            List.of("jobs"),
            List.of("report"),
            List.of("cli"));

    static final Path SOURCES = Path.of("src/main/java/polygrok");

    /** One use of a name: file, the package it is in, the package of the name, and the name. */
    record Use(String file, String from, String to, String name) {
    }

    @Test
    void everyPackageStaysOnItsFloorAndNoPackagesFormACircle() throws IOException {
        List<Use> uses = uses(SOURCES);
        assertTrue(uses.size() > 300, "only " + uses.size() + " uses of polygrok names read from " + SOURCES.toAbsolutePath()
                + "; is the test running in the project directory?");
        List<String> problems = new ArrayList<>(floorProblems(uses));
        problems.addAll(circles(uses));
        assertEquals(List.of(), problems, "the floors are broken:\n" + String.join("\n", problems));
    }

    /** The checks themselves must be able to fail: an upward use, a use across one floor, a circle, an unplaced package. */
    @Test
    void theChecksCatchWhatTheyAreFor() {
        List<Use> bad = List.of(
                new Use("io/A.java", "polygrok.io", "polygrok.report", "Page"),
                new Use("check/B.java", "polygrok.check", "polygrok.train", "Trainer"),
                new Use("backend/C.java", "polygrok.backend", "polygrok.backend.cpu", "CpuBackend"),
                new Use("backend/cpu/D.java", "polygrok.backend.cpu", "polygrok.backend", "Backend"),
                new Use("extra/E.java", "polygrok.extra", "polygrok.tensor", "Tensor"));
        List<String> floors = floorProblems(bad);
        assertEquals(3, floors.size(), String.join("\n", floors));
        assertTrue(floors.get(0).contains("io/A.java") && floors.get(0).contains("up"), floors.get(0));
        assertTrue(floors.get(1).contains("check/B.java") && floors.get(1).contains("its own floor"), floors.get(1));
        assertTrue(floors.get(2).contains("polygrok.extra") && floors.get(2).contains("no floor"), floors.get(2));
        List<String> circles = circles(bad);
        assertEquals(1, circles.size(), String.join("\n", circles));
        assertTrue(circles.get(0).contains("polygrok.backend") && circles.get(0).contains("polygrok.backend.cpu"), circles.get(0));
        assertEquals(List.of(), floorProblems(List.of(new Use("cli/F.java", "polygrok.cli", "polygrok.train", "Trainer"))));
    }

    static List<String> floorProblems(List<Use> uses) {
        List<String> problems = new ArrayList<>();
        Set<String> unplaced = new TreeSet<>();
        for (Use u : uses) {
            String from = top(u.from()), to = top(u.to());
            Integer fromFloor = floor(from), toFloor = floor(to);
            if (fromFloor == null || toFloor == null) {
                unplaced.add("polygrok." + (fromFloor == null ? from : to));
                continue;
            }
            if (from.equals(to)) {
                continue;
            }
            if (toFloor > fromFloor) {
                problems.add(u.file() + " uses " + u.to() + "." + u.name() + ": " + from + " (floor " + fromFloor + ") reaches up to "
                        + to + " (floor " + toFloor + ")");
            } else if (toFloor.equals(fromFloor)) {
                problems.add(u.file() + " uses " + u.to() + "." + u.name() + ": " + from + " and " + to + " are rooms on its own floor ("
                        + fromFloor + "); move what both need below both");
            }
        }
        for (String p : unplaced) {
            problems.add(p + " is on no floor: place it in FloorsTest.FLOORS and docs/architecture.md");
        }
        return problems;
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

    private static Integer floor(String top) {
        for (int i = 0; i < FLOORS.size(); i++) {
            if (FLOORS.get(i).contains(top)) {
                return i;
            }
        }
        return null;
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
