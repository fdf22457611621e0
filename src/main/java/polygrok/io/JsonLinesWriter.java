package polygrok.io;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open metrics file that objects are appended to, one line each. A line goes to the file in a
 * single write (so lines never interleave or half-appear short of a crash) and is flushed to the
 * operating system before {@link #write} returns.
 */
public final class JsonLinesWriter implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;

    private JsonLinesWriter(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code file} for appending, creating it and its parent directories if needed. */
    public static JsonLinesWriter open(Path file) throws IOException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new JsonLinesWriter(file, channel);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends {@code object} as one line. */
    public void write(JsonObject object) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(JsonLines.line(object).getBytes(StandardCharsets.UTF_8));
        WriteGate.check();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forces what was written to disk (it is already visible to readers after each write). */
    public void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
