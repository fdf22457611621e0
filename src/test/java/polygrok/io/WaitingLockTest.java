package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work under a {@link WaitingLock} never overlaps, and a second caller waits rather than failing. */
class WaitingLockTest {
    @Test
    void callersInOneProcessTakeTurns(@TempDir Path dir) throws Exception {
        Path lock = dir.resolve("sub/.table.lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int id = i;
            calls.add(CompletableFuture.supplyAsync(() -> WaitingLock.holding(lock, () -> {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
                return id;
            })));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i, calls.get(i).get(), "call " + i + " returns its own work's value");
        }
        assertEquals(1, mostInside.get(), "work under the lock overlapped");
        assertTrue(lock.toFile().isFile(), "the lock file (and its missing directory) is created");
    }
}
