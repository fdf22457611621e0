package polygrok.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The copy mechanism: a builder carries every field, and a copy is validated like a new config. */
class ExperimentConfigTest {
    private static final ExperimentConfig BASE = ExperimentConfig.defaults("base", List.of("add"));

    @Test
    void aCopyWithNothingChangedEqualsTheOriginal() {
        assertEquals(BASE, BASE.toBuilder().build());
    }

    /** Every field set through the builder lands in its own component (no two setters crossed). */
    @Test
    void theBuilderSetsEachFieldItsOwnComponent() {
        ModelConfig model = new ModelConfig(ModelConfig.TRANSFORMER, 64, 2, 2, 256, 500, "ReLU", true, true, 0.5);
        OptimizerConfig optimizer = new OptimizerConfig(3e-3, 0.5, 0.8, 0.99, 1e-7);
        LpConfig lp = new LpConfig(2, 0.01);
        InitConfig init = new InitConfig(null, null, null, List.of("embed"), null);
        ExperimentConfig expected = new ExperimentConfig("other", 59, List.of("add", "subtract"), "long", 0.5, "p+5", "nonzero", true, 2, true,
                model, optimizer, 64, 123, lp, 0.001, 0.95, 7, 50, 2.5, 25, List.of(3L, 4L), "cpuref", init,
                new LossConfig("stablemax", "float32"));
        ExperimentConfig built = BASE.toBuilder().name("other").p(59).ops(List.of("add", "subtract")).format("long").trainFraction(0.5)
                .operandRange("p+5").operandDomain("nonzero").symmetric(true).nMask(2).taskTokens(true).model(model).optimizer(optimizer).batchSize(64)
                .epochs(123).lp(lp).stopTestLoss(0.001).stopTestAcc(0.95).evalEvery(7).checkpointEvery(50).checkpointMinutes(2.5).fourierEvery(25)
                .seeds(List.of(3L, 4L)).backend("cpuref").init(init).loss(new LossConfig("stablemax", "float32")).build();
        assertEquals(expected, built);
        assertEquals(expected, expected.toBuilder().build());
    }

    @Test
    void eachWithChangesOnlyItsField() {
        OptimizerConfig optimizer = new OptimizerConfig(3e-3, 0.5, 0.8, 0.99, 1e-7);
        InitConfig init = new InitConfig(null, null, null, List.of("embed"), null);
        assertEquals(BASE.toBuilder().seeds(List.of(5L)).build(), BASE.withSeeds(List.of(5L)));
        assertEquals(BASE.toBuilder().epochs(77).build(), BASE.withEpochs(77));
        assertEquals(BASE.toBuilder().trainFraction(0.4).build(), BASE.withTrainFraction(0.4));
        assertEquals(BASE.toBuilder().backend("cpu").build(), BASE.withBackend("cpu"));
        assertEquals(BASE.toBuilder().name("renamed").build(), BASE.withName("renamed"));
        assertEquals(BASE.toBuilder().ops(List.of("subtract")).build(), BASE.withOps(List.of("subtract")));
        assertEquals(BASE.toBuilder().optimizer(optimizer).build(), BASE.withOptimizer(optimizer));
        assertEquals(BASE.toBuilder().init(init).build(), BASE.withInit(init));
        assertEquals(BASE.toBuilder().stopTestAcc(0.9).build(), BASE.withStopTestAcc(0.9));
        assertEquals(77, BASE.withEpochs(77).epochs());
        assertEquals(BASE, BASE.withEpochs(77).withEpochs(BASE.epochs()), "nothing else changed");
    }

    @Test
    void aCopyIsValidatedLikeANewConfig() {
        assertEquals("epochs", assertThrows(ConfigException.class, () -> BASE.withEpochs(0)).path());
        assertEquals("backend", assertThrows(ConfigException.class, () -> BASE.withBackend("tpu")).path());
        assertEquals("seeds", assertThrows(ConfigException.class, () -> BASE.withSeeds(List.of())).path());
        assertEquals("p", assertThrows(ConfigException.class, () -> BASE.toBuilder().p(1).build()).path());
        assertEquals("train_fraction", assertThrows(ConfigException.class, () -> BASE.withTrainFraction(1.0)).path());
    }
}
