package polygrok.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a config or sweep file as UTF-8 text, refusing what is not one before touching it: a missing
 * path, a directory, a FIFO or device (reading a FIFO would wait forever), text that is not UTF-8.
 * Every failure is a {@link ConfigException} naming the file and the reason.
 */
final class TextFiles {
    /** Larger than any config; a bigger file is a wrong path. */
    static final long MAX_BYTES = 16 << 20;

    private TextFiles() {
    }

    static String read(Path file, String what) {
        if (!Files.exists(file)) {
            throw new ConfigException("", "no such " + what).inSource(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException("", "is a directory; give the path of a " + what).inSource(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("", "is not a regular file (a FIFO, socket or device); give the path of a " + what)
                    .inSource(file.toString());
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException("", "is " + Files.size(file) + " bytes, too large for a " + what).inSource(file.toString());
            }
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new ConfigException("", "cannot read: permission denied").inSource(file.toString());
        } catch (IOException e) {
            throw new ConfigException("", "cannot read: " + e.getMessage()).inSource(file.toString());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("", "is not UTF-8 text (" + firstBadByte(bytes) + "); save it as UTF-8")
                    .inSource(file.toString());
        }
    }

    private static String firstBadByte(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            var d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
            try {
                d.decode(ByteBuffer.wrap(bytes, 0, i + 1));
            } catch (CharacterCodingException e) {
                if (i + 4 >= bytes.length || bytes[i] >= 0) {
                    return String.format("byte 0x%02x at offset %d", bytes[i] & 0xff, i);
                }
            }
        }
        return "an invalid byte sequence";
    }
}
