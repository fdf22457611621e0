package polygrok.io;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per directory: an operating-system lock on {@value #FILE} in it, held for as long as a
 * process writes there. The lock file names its holder (pid, host, since, command) for the message
 * a second writer gets. The lock dies with its process, so a lock left by a process that was killed
 * is simply taken over; the file itself stays (removing it would let two processes lock two files).
 * On a shared file system the lock is the file system's (POSIX record locks, which NFSv4 and Lustre
 * honour across hosts; a file system that does not support them makes {@link #acquire} fail, and
 * says so).
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".polygrok.lock";

    /** Thrown when another process (or another writer in this one) holds the lock. */
    public static final class HeldException extends IOException {
        public HeldException(String message) {
            super(message);
        }
    }

    /**
     * Lock files this process holds, with their holder's description. A POSIX lock belongs to the process,
     * and closing any channel on its file drops it: so this process never opens a lock file it holds, and
     * answers from here instead.
     */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (created if missing) or fails at once.
     *
     * @param what what the directory is, for messages ("run directory")
     * @throws HeldException naming the holder and what to do, when someone else writes there
     */
    public static DirectoryLock acquire(Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.toRealPath().resolve(FILE);
        String since = Instant.now().toString();
        String heldHere = HELD_HERE.putIfAbsent(file, "pid " + ProcessHandle.current().pid() + " on this host (" + host() + ") since " + since);
        if (heldHere != null) {
            throw held(what, dir, heldHere);
        }
        boolean taken = false;
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = tryLockPastProbes(channel);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot lock " + what + " " + dir + " (" + e.getMessage() + "); polygrok takes a lock so that"
                        + " two processes never write one run; use a file system with file locks", e);
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw held(what, dir, holder);
            }
            WriteGate.check();
            JsonObject me = new JsonObject();
            ProcessHandle self = ProcessHandle.current();
            me.addProperty("pid", self.pid());
            me.addProperty("host", host());
            me.addProperty("since", since);
            me.addProperty("command", self.info().commandLine().map(c -> c.length() > 300 ? c.substring(0, 300) + "..." : c).orElse("?"));
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            taken = true;
            return new DirectoryLock(file, channel, lock);
        } finally {
            if (!taken) {
                HELD_HERE.remove(file);
            }
        }
    }

    /**
     * Who writes {@code dir} now, when some process does (this one included); empty when no one does.
     * Takes the lock for a moment to find out, and only when this process does not hold it.
     */
    public static Optional<String> holder(Path dir) {
        Path file;
        try {
            file = dir.toRealPath().resolve(FILE);
        } catch (IOException noDirectory) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String probing = "pid " + ProcessHandle.current().pid() + " on this host (" + host() + ")";
        String heldHere = HELD_HERE.putIfAbsent(file, probing);
        if (heldHere != null) {
            return Optional.of(heldHere);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return Optional.of(holder(channel));
            }
            lock.release();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a lock file that cannot be opened or locked is no sign of a writer
        } finally {
            HELD_HERE.remove(file);
        }
    }

    /**
     * A few tries a moment apart: {@link #holder} (a table being written, a report watching) takes a free lock
     * for a moment, and a writer that met such a look would be refused a run that no one trains.
     */
    private static FileLock tryLockPastProbes(FileChannel channel) throws IOException {
        for (int attempt = 0; ; attempt++) {
            FileLock lock = channel.tryLock();
            if (lock != null || attempt == PROBE_RETRIES) {
                return lock;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static final int PROBE_RETRIES = 3;

    private static HeldException held(String what, Path dir, String holder) {
        return new HeldException(what + " " + dir + " is in use by " + holder + "; wait for it to finish or stop it"
                + " (Ctrl-C writes checkpoints), or write somewhere else (--out)");
    }

    /** "pid 123 on host h since 2026-11-30T07:00:00Z", from the lock file (as much as it holds). */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
            channel.read(b, 0);
            JsonObject o = JsonParser.parseString(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).getAsJsonObject();
            String host = o.has("host") ? o.get("host").getAsString() : "?";
            return "pid " + o.get("pid").getAsLong() + " on " + (host.equals(host()) ? "this host (" + host + ")" : "host " + host)
                    + " since " + o.get("since").getAsString();
        } catch (IOException | RuntimeException e) {
            return "another process (its lock file does not say which)";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }
}
