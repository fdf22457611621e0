package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void runsEveryTaskExactlyOnceOnValidWorkers() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int round = 0; round < 50; round++) {
                int n = 1 + round * 7;
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                pool.parallelFor(n, (t, w) -> {
                    assertTrue(w >= 0 && w < 3, "worker index " + w + " outside [0, 3)");
                    runs.incrementAndGet(t);
                });
                for (int t = 0; t < n; t++) {
                    assertEquals(1, runs.get(t), "round " + round + ": task " + t + " ran " + runs.get(t) + " times");
                }
            }
        }
    }

    @Test
    void rethrowsAFailingTaskAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(10, (t, w) -> {
                if (t == 7) {
                    throw new IllegalArgumentException("task 7 failed");
                }
            }));
            assertEquals("task 7 failed", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            pool.parallelFor(4, (t, w) -> runs.incrementAndGet(t));
            for (int t = 0; t < 4; t++) {
                assertEquals(1, runs.get(t), "after a failure: task " + t);
            }
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
