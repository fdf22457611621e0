package polygrok.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that a crash cannot tear: the bytes go to a temporary file in the target's
 * directory, are forced to disk, and the temporary file is renamed over the target in one atomic
 * step. A reader sees the old file or the new one, never half of one. Missing parent directories
 * are created.
 */
public final class AtomicFiles {

    /** Writes the whole content of a file to the stream it is given. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Removes the temporary files that writes into {@code dir} left when their process died mid-write
     * (".NAME.RANDOM.tmp"); call it only while no one else writes there (under a {@link DirectoryLock}).
     * Returns how many were removed.
     */
    public static int removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(TEMP_SUFFIX) && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Writes {@code text} as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes what {@code writer} produces to {@code target}, replacing any file there only once all
     * of it is on disk. On failure the target is untouched, the temporary file removed, and the
     * IOException reads "cannot write &lt;target&gt;: &lt;reason&gt;". Unchecked exceptions of
     * the writer pass through unchanged (after the clean-up).
     */
    /**
     * Temporary files are created owner-only (0600); results are for sharing (reports, run directories on a
     * cluster's shared disk), so the file gets the usual rw-r--r-- before it takes the target's name.
     */
    private static void readableByOthers(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems keep their defaults
        }
    }

    public static void write(Path target, ContentWriter writer) throws IOException {
        Path absolute = regularTarget(target.toAbsolutePath());
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            WriteGate.check();
            Files.createDirectories(dir);
            // a short prefix of the name: the temporary name must fit where a long target name just fits
            String name = absolute.getFileName().toString();
            temp = Files.createTempFile(dir, "." + (name.length() > 40 ? name.substring(0, 40) : name) + ".", TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.writeTo(out);
                out.flush();
                channel.force(true); // the bytes must be durable before the rename makes them visible
            }
            readableByOthers(temp);
            // a large checkpoint takes a while to write: check again before it takes its name (the halt leaves
            // a temporary file, which the next writer of this directory removes)
            WriteGate.check();
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + reason(e, dir), e);
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * The file to replace: the target itself, or where a symbolic link points (the link stays a link).
     * Anything else that is not a regular file (a directory, a FIFO, a device) is refused: the rename
     * would replace it with a file.
     */
    static Path regularTarget(Path target) throws IOException {
        for (int hops = 0; Files.isSymbolicLink(target); hops++) {
            if (hops == 40) {
                throw new IOException("cannot write " + target + ": too many levels of symbolic links");
            }
            target = target.getParent().resolve(Files.readSymbolicLink(target)).normalize();
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            String kind = Files.isDirectory(target) ? "a directory" : "not a regular file (a FIFO, socket or device)";
            throw new IOException("cannot write " + target + ": it is " + kind + "; give the path of a file to write");
        }
        return target;
    }

    /** Forces the rename itself to disk; platforms that cannot open a directory skip it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not possible on every platform (Windows); the file's own data is already durable.
        }
    }

    /** A short human reason for a failed write, naming the directory where that is the problem. */
    private static String reason(IOException e, Path dir) {
        return IoReasons.describe(e, dir);
    }
}
