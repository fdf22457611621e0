package polygrok.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import polygrok.backend.Backend;

/** A backend without the optimizer options' ops (cuda today) refuses each option before anything trains, naming the field. */
class BackendOptionsTest {
    /** A backend that has none of the options: only its name and the capability checks answer. */
    static Backend without() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, (proxy, method, args) -> {
            return switch (method.getName()) {
                case "name" -> "cuda";
                case "hasAdamOptions", "hasOrthogonalGradient" -> false;
                default -> throw new UnsupportedOperationException(method.getName());
            };
        });
    }

    @Test
    void eachOptionIsRefusedWithItsField() {
        Backend cuda = without();
        OptimizerSettings p = OptimizerSettings.paper();
        assertDoesNotThrow(() -> BackendOptions.check(cuda, p), "plain AdamW runs everywhere");
        String[][] cases = {{"optimizer.type", "adam"}, {"optimizer.warmup_steps", "warm"}, {"optimizer.orthogonal", "orthogonal"}};
        OptimizerSettings[] settings = {
            new OptimizerSettings(1e-3, 1, 0.9, 0.98, 1e-8, 2, 0, null, true, 0, false),
            new OptimizerSettings(1e-3, 1, 0.9, 0.98, 1e-8, 2, 0, null, false, 10, false),
            new OptimizerSettings(1e-3, 1, 0.9, 0.98, 1e-8, 2, 0, null, false, 0, true)};
        for (int i = 0; i < cases.length; i++) {
            OptimizerSettings s = settings[i];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendOptions.check(cuda, s));
            assertTrue(e.getMessage().startsWith(cases[i][0]) && e.getMessage().contains("cuda") && e.getMessage().contains("--backend cpu"),
                    e.getMessage());
        }
    }
}
