package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.ONE_ROUNDING;
import static polygrok.backend.conformance.Tolerances.sum;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Token embedding (a gather forward, a scatter-add backward) and the learned positional embedding. */
class EmbeddingConformanceTest extends ConformanceBase {
    record Case(int batch, int t, int d, int vocab, int m) {
        @Override
        public String toString() {
            return "B=" + batch + " T=" + t + " D=" + d + " V=" + vocab + " M=" + m;
        }
    }

    static Stream<Arguments> cases() {
        return onEachBackend(Stream.of(
                new Case(37, 3, 20, 29, 1), new Case(37, 3, 20, 29, 3), // partial vector widths and tiles
                new Case(300, 3, 40, 53, 1), new Case(300, 3, 40, 53, 3), // enough rows for the cpu's worker pool
                new Case(5, 3, 20, 23, 3))); // few examples, so a forced repeat is a large share of the scatter-add
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void embeddingAndPositional(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, 2);
        int m = c.m();
        Twin wE = tw.strided(4, 9, 1, m, c.d(), c.vocab());
        int[] tokens = tw.randomInts((long) m * c.batch() * c.t(), c.vocab());
        tokens[0] = tokens[1] = tokens[2] = 4; // repeated tokens collide in the scatter-add
        Twin tok = tw.intsOf(tokens, m, c.batch(), c.t());
        Twin out = tw.random(1, m, c.batch(), c.t(), c.d());
        tw.run((be, a) -> be.embedForward(a[0], a[1], a[2]), wE, tok, out);
        tw.check("embedForward " + c, "out", out, EXACT);
        // gradients start non-zero: the backward must add into them
        Twin dOut = tw.random(1, m, c.batch(), c.t(), c.d()), dWE = tw.strided(2, 3, 1, m, c.d(), c.vocab());
        tw.run((be, a) -> be.embedBackward(a[0], a[1], a[2]), dOut, tok, dWE);
        tw.check("embedBackward " + c, "dW_E", dWE, sum(c.batch() * c.t() + 1L)); // a token may fill every slot

        // gathered and summed over positions in one pass; the backward adds each example's gradient at every position
        Twin summed = tw.random(1, m, c.batch(), c.d());
        tw.run((be, a) -> be.embedSumForward(a[0], a[1], a[2]), wE, tok, summed);
        tw.check("embedSumForward " + c, "out", summed, sum(c.t()));
        Twin dSummed = tw.random(1, m, c.batch(), c.d()), dTable = tw.strided(2, 3, 1, m, c.d(), c.vocab());
        tw.run((be, a) -> be.embedSumBackward(a[0], a[1], a[2]), dSummed, tok, dTable);
        tw.check("embedSumBackward " + c, "dTable", dTable, sum(c.batch() * c.t() + 1L));

        // a table with more rows than positions: only the first T are used
        Twin wPos = tw.strided(1, 2, 1, m, c.t() + 2, c.d());
        tw.run((be, a) -> be.positionalForward(a[0], a[1]), wPos, out);
        tw.check("positionalForward " + c, "x", out, ONE_ROUNDING);
        Twin dPos = tw.strided(1, 2, 1, m, c.t() + 2, c.d());
        tw.run((be, a) -> be.positionalBackward(a[0], a[1]), dOut, dPos);
        tw.check("positionalBackward " + c, "dW_pos", dPos, sum(c.batch() + 1L));
    }
}
