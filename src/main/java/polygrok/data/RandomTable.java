package polygrok.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The `rand` task's answers: a fixed table of uniform residues, one per operand pair. The seed
 * drew its table with an unseeded numpy call, so no run of it can be reproduced; polygrok fixes
 * the table instead: CPython-compatible random.seed(0), then randbelow(p) for each pair in
 * row-major order over the operand range.
 */
final class RandomTable {
    static final long TABLE_SEED = 0;
    private static final Map<Long, int[]> CACHE = new ConcurrentHashMap<>();

    private RandomTable() {
    }

    static int answer(int a, int b, int p, int range) {
        int[] table = CACHE.computeIfAbsent(((long) p << 32) | range, k -> build(p, range));
        return table[a * range + b];
    }

    private static int[] build(int p, int range) {
        PythonRandom random = new PythonRandom(TABLE_SEED);
        int[] table = new int[range * range];
        for (int i = 0; i < table.length; i++) {
            table[i] = random.randbelow(p);
        }
        return table;
    }
}
