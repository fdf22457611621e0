package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.ONE_ROUNDING;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Moving values in and out, filling, copying and adding, on packed tensors and on views with gaps. */
class MemoryConformanceTest extends ConformanceBase {
    static Stream<Arguments> models() {
        return onEachBackend(Stream.of(1, 3));
    }

    @ParameterizedTest(name = "{0}, M={1}")
    @MethodSource("models")
    void memoryOps(BackendUnderTest backend, int m) {
        TwinTensors tw = twins(backend, 1);
        Twin a = tw.random(1, m, 7, 13), b = tw.random(1, m, 7, 13), out = tw.random(1, m, 7, 13);
        tw.run((be, x) -> be.add(x[0], x[1], x[2]), a, b, out);
        tw.check("add", "out", out, ONE_ROUNDING);
        Twin c = tw.random(1, m, 7, 13);
        tw.run((be, x) -> be.add(x[0], x[1], x[0]), c, a);
        tw.check("add", "out aliasing its first input", c, ONE_ROUNDING);
        tw.run((be, x) -> be.addInto(x[0], x[1]), a, b);
        tw.check("addInto", "dst", b, ONE_ROUNDING);
        Twin view = tw.strided(3, 5, 1, m, 7, 13);
        tw.run((be, x) -> be.addInto(x[0], x[1]), a, view);
        tw.check("addInto", "dst (strided view)", view, ONE_ROUNDING);
        tw.run((be, x) -> be.copy(x[0], x[1]), a, view);
        tw.check("copy", "dst (strided view)", view, EXACT);
        tw.run((be, x) -> be.fill(x[0], -1.5), view);
        tw.check("fill", "t (strided view)", view, EXACT);

        Twin ints = tw.ints(11, m, 5);
        tw.checkInts("ints", "t", ints);
        int[] iv = new int[m * 5];
        for (int i = 0; i < iv.length; i++) {
            iv[i] = 3 * i + 1;
        }
        tw.run((be, x) -> be.uploadInts(x[0], iv), ints);
        tw.checkInts("uploadInts", "dst", ints);

        // values that are not float32 numbers: the backend under test rounds them on the way in
        double[] up = new double[m * 7 * 13];
        for (int i = 0; i < up.length; i++) {
            up[i] = Math.sin(i) * 3;
        }
        tw.check("upload", "dst", tw.of(up, m, 7, 13), ONE_ROUNDING);
        Twin into = tw.strided(7, 11, 1, m, 4, 5);
        double[] small = tw.values(m * 20L, 2);
        tw.run((be, x) -> be.upload(x[0], small), into);
        tw.check("upload", "dst (strided view)", into, ONE_ROUNDING);
    }
}
