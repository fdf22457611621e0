package polygrok.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Runs a piece of work while holding an operating-system lock on a file, waiting for the lock when
 * another process has it. For short read-then-write work that several processes do on one shared
 * directory (the array tasks of a sweep each writing its table.csv): done under the lock, the last
 * process to take it reads what everyone finished before it, so the file it leaves is the most
 * complete one. Unlike {@link DirectoryLock}, which refuses a second writer, this one queues them.
 */
public final class WaitingLock {
    private WaitingLock() {
    }

    /**
     * Takes the lock on {@code lockFile} (created if missing), runs {@code work}, releases the lock.
     * Callers in one process queue on the class as well: the operating system's lock belongs to the
     * whole process, and Java refuses to take it twice.
     */
    public static synchronized <T> T holding(Path lockFile, Supplier<T> work) {
        try {
            Files.createDirectories(lockFile.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + " (" + e.getMessage() + "); polygrok locks it so that"
                    + " processes sharing a directory do not overwrite each other's files; use a file system with file locks", e);
        }
    }
}
