package polygrok.backend.conformance;


import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.WeightLayout;

/** The linear layer in both weight layouts, forward and backward, over sizes that exercise every GEMM path. */
class LinearConformanceTest extends ConformanceBase {
    static Stream<Arguments> cases() {
        Stream.Builder<LinearCase> out = Stream.builder();
        for (WeightLayout layout : WeightLayout.values()) {
            for (int m : new int[]{1, 3}) {
                out.add(new LinearCase(layout, 37, 20, 29, m)).add(new LinearCase(layout, 300, 40, 53, m));
            }
            // on cuda: crossing the 32-wide tiles on every axis; tiny; split K of the weight gradient; the 128-wide
            // tiles; and every product on the 32-wide tiles (CudaGemmPlanTest pins the plans these sizes get)
            out.add(new LinearCase(layout, 70, 67, 130, 3)).add(new LinearCase(layout, 1, 1, 1, 3));
            out.add(new LinearCase(layout, 3, 5, 2, 3)).add(new LinearCase(layout, 1500, 40, 30, 3));
            out.add(new LinearCase(layout, 2900, 130, 260, 3)).add(new LinearCase(layout, 300, 40, 100, 3));
            // on cpu: the MLP shape's ragged widths, edge tiles of one vector (200) and of two (113), short row tiles
            out.add(new LinearCase(layout, 229, 113, 200, 2)).add(new LinearCase(layout, 200, 200, 113, 1));
        }
        return onEachBackend(out.build());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void linear(BackendUnderTest backend, LinearCase c) {
        c.check(twins(backend, 7 + c.layout().ordinal()), "");
    }
}
