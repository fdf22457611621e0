package polygrok.data;

import org.apache.commons.math3.random.MersenneTwister;

import java.util.List;

/**
 * The parts of CPython's {@code random} module that the seed repository's split depends on:
 * {@code random.seed(int)}, {@code getrandbits}, {@code _randbelow} and {@code shuffle}, so that
 * the same seed gives the same train/test split as the Python code, pair for pair.
 *
 * <p>CPython seeds MT19937 with {@code init_by_array} over the 32-bit words of |seed| (least
 * significant first; seed 0 gives the key [0]). Commons Math's {@code MersenneTwister(int[])}
 * runs the same {@code init_by_array}, and its {@code nextInt()} is one raw 32-bit output.
 */
public final class PythonRandom {
    private final MersenneTwister twister;

    /** Equivalent of {@code random.seed(seed)} for an integer seed. */
    public PythonRandom(long seed) {
        this.twister = new MersenneTwister(initKey(seed));
    }

    /** The init_by_array key CPython derives from an integer seed: |seed| in 32-bit words. */
    static int[] initKey(long seed) {
        // Math.abs(Long.MIN_VALUE) overflows; its magnitude 2^63 still fits in two unsigned words.
        long magnitude = seed == Long.MIN_VALUE ? Long.MIN_VALUE : Math.abs(seed);
        int low = (int) magnitude;
        int high = (int) (magnitude >>> 32);
        return high == 0 ? new int[]{low} : new int[]{low, high};
    }

    /** {@code random.getrandbits(k)} for 1 <= k <= 32: the top k bits of one 32-bit output. */
    public long getrandbits(int k) {
        if (k < 1 || k > 32) {
            throw new IllegalArgumentException("getrandbits: k = " + k + ", allowed 1..32");
        }
        long word = Integer.toUnsignedLong(twister.nextInt());
        return word >>> (32 - k);
    }

    /** {@code random._randbelow(n)}: rejection sampling on getrandbits(bit_length(n)). */
    public int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("randbelow: n = " + n + ", must be positive");
        }
        int k = 32 - Integer.numberOfLeadingZeros(n); // Python's n.bit_length()
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    /** {@code random.shuffle(list)}: Fisher-Yates from the end, j = _randbelow(i + 1). */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    /** {@code random.shuffle} over an int array: the same swaps as on a list of the same length. */
    public void shuffle(int[] array) {
        for (int i = array.length - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            int tmp = array[i];
            array[i] = array[j];
            array[j] = tmp;
        }
    }
}
