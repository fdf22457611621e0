package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every defect a safetensors file can have gives a SafetensorsFormatException naming the file and the defect. */
class SafetensorsFormatTest {

    @TempDir
    Path dir;

    /** A file with this header text (unpadded) and {@code dataBytes} zero bytes of data. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array());
    }

    private Path raw(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        return p;
    }

    /** Reads {@code file}, expecting a format error whose message names the file and holds every fragment. */
    private static void assertDefect(Path file, String... fragments) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file),
                "reading " + file + " must fail");
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "message must name the file: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message must contain \"" + f + "\": " + m);
        }
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void fileShorterThanEightBytes() throws IOException {
        assertDefect(raw(new byte[] {1, 0, 0, 0, 0}), "5 bytes", "shorter than the 8-byte header length");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        byte[] b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
        assertDefect(raw(b), "header length 1000", "past the end of the file", "12 bytes");
        byte[] negative = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
        assertDefect(raw(negative), "header length 18446744073709551615", "past the end");
    }

    @Test
    void headerNotJson() throws IOException {
        assertDefect(file("{\"a\": {dtype: F32", 0), "header is not JSON");
        assertDefect(file("{} trailing", 0), "header is not JSON");
        assertDefect(file("[1, 2]", 0), "not a JSON object", "[1,2]");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(4).put(new byte[] {'{', (byte) 0xC3, '(', '}'}).array();
        assertDefect(raw(b), "not valid UTF-8");
    }

    @Test
    void unknownDtypeIsNamedWithTheKnownOnes() throws IOException {
        assertDefect(file("{" + entry("w", "BF16", "[2]", 0, 4) + "}", 4), "tensor w", "unknown dtype BF16", "F32", "F64", "I64", "I32");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        assertDefect(file("{" + entry("w", "F32", "[4]", 0, 16) + "}", 8), "tensor w", "[0, 16]", "past the end of the data section",
                "8 bytes");
        assertDefect(file("{" + entry("w", "F32", "[0]", 8, 0) + "}", 8), "tensor w", "end before they begin");
        assertDefect(file("{" + entry("w", "F32", "[2]", -8, 0) + "}", 8), "tensor w", "data_offsets", "non-negative integers");
    }

    @Test
    void overlappingOffsets() throws IOException {
        assertDefect(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensor b", "overlap tensor a", "ends at 8");
    }

    @Test
    void offsetsNotCoveringTheData() throws IOException {
        assertDefect(file("{" + entry("a", "F32", "[2]", 0, 8) + "}", 12), "bytes [8, 12)", "belong to no tensor");
        assertDefect(file("{" + entry("a", "F32", "[2]", 4, 12) + "}", 12), "bytes [0, 4)", "gap before tensor a");
    }

    @Test
    void shapeAndByteCountMismatch() throws IOException {
        assertDefect(file("{" + entry("blocks.0.W", "F64", "[3, 2]", 0, 40) + "}", 40),
                "tensor blocks.0.W", "shape [3, 2]", "F64", "needs 48 bytes", "hold 40");
    }

    @Test
    void malformedEntriesAndMetadata() throws IOException {
        assertDefect(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor w", "lacks \"data_offsets\"");
        assertDefect(file("{\"w\":[1]}", 4), "tensor w", "must be an object");
        assertDefect(file("{" + entry("", "F32", "[1]", 0, 4) + "}", 4), "empty name");
        assertDefect(file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", 4), "tensor w", "shape", "non-negative integers");
        assertDefect(file("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", 4), "tensor w", "shape");
        assertDefect(file("{" + entry("w", "F32", "[65536, 65536]", 0, 4) + "}", 4), "tensor w", "more elements than a Java array");
        assertDefect(file("{\"__metadata__\":{\"epoch\":3}}", 0), "__metadata__.epoch must be a string", "3");
        assertDefect(file("{\"__metadata__\":[]}", 0), "__metadata__ must be an object");
        assertDefect(file("{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor w", "dtype must be a string");
    }

    @Test
    void i64ValuesBeyondExactDoublesAreRefused() throws IOException {
        String h = "{" + entry("t", "I64", "[1]", 0, 8) + "}";
        byte[] hb = h.getBytes(StandardCharsets.UTF_8);
        byte[] b = ByteBuffer.allocate(8 + hb.length + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).put(hb)
                .putLong(Long.MAX_VALUE).array();
        assertDefect(raw(b), "tensor t", String.valueOf(Long.MAX_VALUE), "2^53");
    }

    /** Truncating or corrupting a valid file anywhere gives a format error or a clean read, never another exception. */
    @Test
    void damagedFilesNeverLeakOtherExceptions() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, SafetensorsFile.of(Map.of("k", "v"), List.of(
                SafeTensor.f32("a", new int[] {3}, new double[] {1, 2, 3}),
                SafeTensor.i64("b", new int[] {2, 1}, new double[] {4, 5}))));
        byte[] bytes = Files.readAllBytes(good);
        Path damaged = dir.resolve("damaged.safetensors");
        for (int length = 0; length < bytes.length; length++) {
            Files.write(damaged, java.util.Arrays.copyOf(bytes, length));
            expectFormatErrorOrSuccess(damaged, "truncated to " + length + " bytes");
        }
        Random rng = new Random(11);
        for (int trial = 0; trial < 500; trial++) {
            byte[] copy = bytes.clone();
            int at = rng.nextInt(copy.length);
            copy[at] = (byte) rng.nextInt(256);
            Files.write(damaged, copy);
            expectFormatErrorOrSuccess(damaged, "byte " + at + " set to " + (copy[at] & 0xFF));
        }
    }

    private static void expectFormatErrorOrSuccess(Path file, String damage) {
        try {
            Safetensors.read(file);
        } catch (SafetensorsFormatException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), damage + ": message must name the file: " + e.getMessage());
        } catch (Exception e) {
            fail(damage + ": expected SafetensorsFormatException or success, got " + e, e);
        }
    }
}
