package polygrok;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floors as docs/architecture.md's "### Floors" section draws them, so that the page is the one
 * list: the first table gives each floor's top-level packages (its number in the first column), the
 * second the inner floors of a package with subpackages ("`a` below `a.b`, `a.c` below `a.d`").
 * Package names are written without the {@code polygrok.} prefix.
 *
 * @param floors top-level packages per floor, bottom first
 * @param inner  per package with subpackages: its inner floors, bottom first (the package itself among them)
 */
record FloorTable(List<List<String>> floors, Map<String, List<List<String>>> inner) {

    static final Path DOC = Path.of("docs/architecture.md");
    private static final Pattern NAME = Pattern.compile("`([a-z][\\w.]*)`");

    static FloorTable read() throws IOException {
        return parse(Files.readString(DOC));
    }

    /** The two tables of the Floors section; a malformed or missing table throws with what was expected. */
    static FloorTable parse(String markdown) {
        int start = markdown.indexOf("\n### Floors\n");
        if (start < 0) {
            throw new IllegalArgumentException(DOC + " has no \"### Floors\" section");
        }
        int end = markdown.indexOf("\n### ", start + 1);
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        Map<Integer, List<String>> byNumber = new LinkedHashMap<>();
        Map<String, List<List<String>>> inner = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            String[] cells = cells(line);
            if (cells.length < 2 || cells[0].isEmpty() || cells[0].startsWith("---") || cells[0].equals("floor")
                    || cells[0].equals("package")) {
                continue;
            }
            if (cells[0].matches("\\d+")) {
                List<String> names = names(cells[1]);
                if (names.isEmpty() || byNumber.put(Integer.parseInt(cells[0]), names) != null) {
                    throw new IllegalArgumentException("floor " + cells[0] + " is empty or listed twice: " + line);
                }
            } else {
                List<String> parent = names(cells[0]);
                List<List<String>> levels = new ArrayList<>();
                for (String level : cells[1].split(" below ")) {
                    levels.add(names(level));
                }
                if (parent.size() != 1 || levels.size() < 2 || levels.stream().anyMatch(List::isEmpty)
                        || !levels.get(0).equals(parent)) {
                    throw new IllegalArgumentException("an inner-floor row names one package, then its floors bottom first"
                            + " (the package itself, then \" below \" and its subpackages): " + line);
                }
                inner.put(parent.get(0), levels);
            }
        }
        List<List<String>> floors = new ArrayList<>();
        for (int i = 0; i < byNumber.size(); i++) {
            List<String> floor = byNumber.get(i);
            if (floor == null) {
                throw new IllegalArgumentException("floors must be numbered 0.." + (byNumber.size() - 1) + "; got " + byNumber.keySet());
            }
            floors.add(floor);
        }
        if (floors.isEmpty()) {
            throw new IllegalArgumentException("the Floors section of " + DOC + " has no floor table");
        }
        return new FloorTable(List.copyOf(floors), Map.copyOf(inner));
    }

    /** The floor of a top-level package, or null when it is on none. */
    Integer floor(String top) {
        for (int i = 0; i < floors.size(); i++) {
            if (floors.get(i).contains(top)) {
                return i;
            }
        }
        return null;
    }

    /**
     * The inner floor of a package within its top-level package (0 for the top-level package itself when
     * it has no inner table), or null when the package is on none.
     */
    Integer innerFloor(String pkg) {
        String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
        List<List<String>> levels = inner.get(top);
        if (levels == null) {
            return pkg.equals(top) ? 0 : null;
        }
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).contains(pkg)) {
                return i;
            }
        }
        return null;
    }

    private static String[] cells(String line) {
        String t = line.trim();
        if (!t.startsWith("|")) {
            return new String[0];
        }
        String[] raw = t.substring(1).split("\\|");
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i].trim();
        }
        return raw;
    }

    private static List<String> names(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = NAME.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
