package polygrok.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;

/**
 * Named work buffers that only grow: once a step has run, later steps allocate nothing. Growing frees
 * the old buffer, so it first calls {@code beforeGrow} (the backend waits for its stream and forgets
 * recorded graphs, which may point at the old buffer). Growing while a graph is being captured is an
 * error: the warm-up run should have sized every buffer.
 */
final class Scratch implements AutoCloseable {
    /** Where the memory comes from: cuMemAlloc / cuMemFree on a device, a host heap in tests. */
    interface Allocator {
        CUdeviceptr allocate(long bytes);

        void free(CUdeviceptr p);
    }

    private final Allocator allocator;
    private final Map<String, CUdeviceptr> buffers = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private final Runnable beforeGrow;
    private final java.util.function.BooleanSupplier capturing;

    Scratch(Allocator allocator, Runnable beforeGrow, java.util.function.BooleanSupplier capturing) {
        this.allocator = allocator;
        this.beforeGrow = beforeGrow;
        this.capturing = capturing;
    }

    /** Capacity to allocate for a request of {@code bytes} given the current capacity: grow only, by at least half. */
    static long newCapacity(long current, long bytes) {
        if (bytes <= current) {
            return current;
        }
        return Math.max(bytes, current + current / 2);
    }

    /** A buffer of at least {@code bytes} bytes under {@code name}; contents are undefined. */
    CUdeviceptr get(String name, long bytes) {
        long current = sizes.getOrDefault(name, 0L);
        long wanted = newCapacity(current, Math.max(bytes, 4));
        if (wanted == current) {
            return buffers.get(name);
        }
        if (capturing.getAsBoolean()) {
            throw new IllegalStateException("scratch buffer '" + name + "' must grow from " + current + " to " + bytes
                    + " bytes during graph capture; the warm-up run of runRepeatable should have sized it");
        }
        beforeGrow.run();
        CUdeviceptr old = buffers.remove(name);
        if (old != null) {
            allocator.free(old);
        }
        CUdeviceptr p = allocator.allocate(wanted);
        buffers.put(name, p);
        sizes.put(name, wanted);
        return p;
    }

    @Override
    public void close() {
        for (CUdeviceptr p : buffers.values()) {
            allocator.free(p);
        }
        buffers.clear();
        sizes.clear();
    }
}
