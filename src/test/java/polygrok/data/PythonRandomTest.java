package polygrok.data;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * PythonRandom against values CPython produced (python_random_expected.txt, written by
 * make_python_random_expected.py next to it).
 */
class PythonRandomTest {

    private static List<String[]> expected() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                PythonRandomTest.class.getResourceAsStream("python_random_expected.txt")), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.trim().split(" "));
                }
            }
        }
        assertFalse(rows.isEmpty(), "python_random_expected.txt is empty");
        return rows;
    }

    @Test
    void getrandbitsMatchesCPython() throws IOException {
        int checked = 0;
        for (String[] row : expected()) {
            if (!row[0].equals("getrandbits32")) {
                continue;
            }
            long seed = Long.parseLong(row[1]);
            PythonRandom random = new PythonRandom(seed);
            for (int i = 2; i < row.length; i++) {
                long want = Long.parseLong(row[i]);
                long got = random.getrandbits(32);
                assertEquals(want, got, "getrandbits(32) seed " + seed + " draw " + (i - 2) + ": python " + want + ", java " + got);
                checked++;
            }
        }
        assertEquals(32, checked, "number of getrandbits values checked");
    }

    @Test
    void randbelowMatchesCPython() throws IOException {
        int[] bounds = {1, 2, 3, 7, 97, 1000, 9409, 12345};
        for (String[] row : expected()) {
            if (!row[0].equals("randbelow")) {
                continue;
            }
            long seed = Long.parseLong(row[1]);
            PythonRandom random = new PythonRandom(seed);
            for (int i = 0; i < bounds.length; i++) {
                int want = Integer.parseInt(row[i + 2]);
                int got = random.randbelow(bounds[i]);
                assertEquals(want, got, "randbelow(" + bounds[i] + ") seed " + seed + ": python " + want + ", java " + got);
            }
        }
    }

    @Test
    void shuffleMatchesCPython() throws IOException {
        for (String[] row : expected()) {
            if (!row[0].equals("shuffle")) {
                continue;
            }
            long seed = Long.parseLong(row[1]);
            int n = Integer.parseInt(row[2]);
            int[] items = new int[n];
            for (int i = 0; i < n; i++) {
                items[i] = i;
            }
            new PythonRandom(seed).shuffle(items);
            List<Integer> boxed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boxed.add(i);
            }
            new PythonRandom(seed).shuffle(boxed);
            for (int i = 3; i < row.length; i++) {
                int want = Integer.parseInt(row[i]);
                assertEquals(want, items[i - 3], "shuffle(int[]) seed " + seed + " n " + n + " index " + (i - 3));
                assertEquals(want, boxed.get(i - 3), "shuffle(List) seed " + seed + " n " + n + " index " + (i - 3));
            }
        }
    }

    @Test
    void largeSeedsUseTwoWords() {
        assertEquals(1, PythonRandom.initKey(0).length, "seed 0 key length");
        assertEquals(0, PythonRandom.initKey(0)[0], "seed 0 key word");
        int[] key = PythonRandom.initKey((1L << 32) + 7);
        assertEquals(2, key.length, "seed 2^32+7 key length");
        assertEquals(7, key[0], "seed 2^32+7 low word");
        assertEquals(1, key[1], "seed 2^32+7 high word");
    }
}
