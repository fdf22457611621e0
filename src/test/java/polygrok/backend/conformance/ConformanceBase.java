package polygrok.backend.conformance;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.Arguments;
import polygrok.backend.Backend;
import polygrok.backend.cpuref.CpuRefBackend;

/**
 * What every conformance test class shares: the reference backend, one open instance of each backend
 * under test per class (a cuda backend loads its kernel modules once, not per case), and the
 * cross product of backends and cases that parameterises each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConformanceBase {
    private final Backend reference = new CpuRefBackend();
    private final Map<BackendUnderTest, Backend> open = new EnumMap<>(BackendUnderTest.class);

    /** Every case on every backend under test, the backend first. */
    static Stream<Arguments> onEachBackend(Stream<?> cases) {
        Object[] all = cases.toArray();
        return Stream.of(BackendUnderTest.values()).flatMap(b -> Stream.of(all).map(c -> Arguments.of(b, c)));
    }

    /**
     * Twins on the reference and on {@code backend}, seeded; skips the test, with the reason, where this
     * machine cannot run the backend.
     */
    TwinTensors twins(BackendUnderTest backend, long seed) {
        Optional<String> why = backend.whyUnavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> backend + " not tested here: " + why.orElse(""));
        return new TwinTensors(reference, open.computeIfAbsent(backend, BackendUnderTest::open), backend.toString(), seed);
    }

    /** A trainable mask [P]: 1 where trainable, 0 at every {@code every}-th entry from {@code at}. */
    static double[] mask(int p, int every, int at) {
        double[] mask = new double[p];
        for (int j = 0; j < p; j++) {
            mask[j] = j % every == at ? 0 : 1;
        }
        return mask;
    }

    @AfterAll
    void closeBackends() {
        open.values().forEach(Backend::close);
        open.clear();
    }
}
