package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The words put before the worker's command: setpriv's parent-death signal where it works, nothing when turned off. */
class ParentDeathSignalTest {
    @Test
    void thePrefixIsSetprivWithTheKillSignalOrNothingAndCanBeTurnedOff() {
        List<String> words = ParentDeathSignal.prefix();
        if (!words.isEmpty()) {
            assertEquals(3, words.size(), words.toString());
            assertTrue(words.get(0).endsWith("/setpriv"), words.toString());
            assertEquals(List.of("--pdeathsig", "KILL"), words.subList(1, 3));
        }
        String before = System.getProperty(ParentDeathSignal.PROPERTY);
        System.setProperty(ParentDeathSignal.PROPERTY, "false");
        try {
            assertEquals(List.of(), ParentDeathSignal.prefix(), "-Dpolygrok.pdeathsig=false leaves the worker's command as it is");
        } finally {
            if (before == null) {
                System.clearProperty(ParentDeathSignal.PROPERTY);
            } else {
                System.setProperty(ParentDeathSignal.PROPERTY, before);
            }
        }
    }
}
