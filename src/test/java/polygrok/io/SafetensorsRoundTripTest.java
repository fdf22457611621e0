package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static List<SafeTensor> everyKind() {
        Random rng = new Random(7);
        double[] f32 = new double[2 * 3 * 4];
        double[] f64 = new double[5];
        for (int i = 0; i < f32.length; i++) {
            f32[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < f64.length; i++) {
            f64[i] = rng.nextGaussian() * 1e-300;
        }
        f64[4] = Double.NaN;
        f32[0] = Float.NEGATIVE_INFINITY;
        return List.of(
                SafeTensor.f32("z.weights", new int[] {2, 3, 4}, f32),
                SafeTensor.f64("a.tiny", new int[] {5}, f64),
                SafeTensor.i64("tokens", new int[] {2, 3}, new double[] {0, -1, 9007199254740991.0, -9007199254740991.0, 101, 7}),
                SafeTensor.i32("labels", new int[] {4}, new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -5}),
                SafeTensor.f64("loss", new int[] {}, new double[] {2.5}),
                SafeTensor.f32("empty", new int[] {0, 3}, new double[0]));
    }

    private static void assertSameTensors(SafetensorsFile expected, SafetensorsFile actual) {
        assertEquals(expected.metadata(), actual.metadata(), "metadata");
        assertEquals(expected.tensors().keySet().stream().sorted().toList(), List.copyOf(actual.tensors().keySet()),
                "tensor names, read back in sorted (written) order");
        for (SafeTensor e : expected.tensors().values()) {
            SafeTensor a = actual.tensor(e.name());
            assertEquals(e.dtype(), a.dtype(), "dtype of " + e.name());
            assertArrayEquals(e.shape(), a.shape(), "shape of " + e.name());
            for (int i = 0; i < e.values().length; i++) {
                // bitwise: NaN must come back NaN, -0.0 as -0.0
                assertEquals(Double.doubleToLongBits(e.values()[i]), Double.doubleToLongBits(a.values()[i]),
                        "round trip of " + e.name() + " at index " + i + ": wrote " + e.values()[i] + ", read " + a.values()[i]);
            }
        }
    }

    @Test
    void everyDtypeAndScalarAndMetadataSurviveARoundTrip() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "polygrok-checkpoint-1");
        meta.put("config", "{\"p\": 97, \"note\": \"a<b & ü\"}");
        SafetensorsFile original = SafetensorsFile.of(meta, everyKind());
        Path file = dir.resolve("all.safetensors");
        Safetensors.write(file, original);
        assertSameTensors(original, Safetensors.read(file));
    }

    @Test
    void aFileWithoutMetadataOrTensorsRoundTrips() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        Safetensors.write(file, SafetensorsFile.of(Map.of(), List.of()));
        SafetensorsFile back = Safetensors.read(file);
        assertTrue(back.metadata().isEmpty() && back.tensors().isEmpty(), "expected an empty file back, got " + back);
        assertEquals(16, Files.size(file), "8-byte length + \"{}\" padded to 8 bytes");
    }

    @Test
    void layoutIsSortedAlignedContiguousAndIndependentOfInsertionOrder() throws IOException {
        List<SafeTensor> tensors = everyKind();
        List<SafeTensor> reversed = new ArrayList<>(tensors);
        java.util.Collections.reverse(reversed);
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Safetensors.write(a, SafetensorsFile.of(Map.of("k", "v"), tensors));
        Safetensors.write(b, SafetensorsFile.of(Map.of("k", "v"), reversed));
        byte[] bytesA = Files.readAllBytes(a);
        assertArrayEquals(bytesA, Files.readAllBytes(b), "the same tensors in another order must give the same bytes");

        long headerLength = ByteBuffer.wrap(bytesA, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header length " + headerLength + " must keep the data 8-byte aligned");
        String header = new String(bytesA, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"a.tiny\":{\"dtype\":\"F64\",\"shape\":[5],\"data_offsets\":[0,40]}"),
                "first tensor must be the alphabetically first, at offset 0: " + header);
        assertTrue(header.stripTrailing().endsWith("\"__metadata__\":{\"k\":\"v\"}}"), "metadata last: " + header);
        long dataBytes = 0;
        for (SafeTensor t : tensors) {
            dataBytes += t.byteCount();
        }
        assertEquals(8 + headerLength + dataBytes, bytesA.length, "file = length + header + contiguous data");
    }

    @Test
    void f32ValuesAreRoundedOnConstructionSoTheyReadBackExactly() throws IOException {
        SafeTensor t = SafeTensor.f32("x", new int[] {2}, new double[] {0.1, 1.0 / 3});
        assertEquals((double) 0.1f, t.values()[0], 0.0, "0.1 must be held as the float 0.1f");
        Path file = dir.resolve("f32.safetensors");
        Safetensors.write(file, SafetensorsFile.of(Map.of(), List.of(t)));
        assertArrayEquals(t.values(), Safetensors.read(file).tensor("x").values(), 0.0, "f32 values read back");
    }

    @Test
    void rewritingIsAtomicAndReplacesTheOldFile() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Safetensors.write(file, SafetensorsFile.of(Map.of("epoch", "1"), List.of(SafeTensor.f64("w", new int[] {1}, new double[] {1}))));
        Safetensors.write(file, SafetensorsFile.of(Map.of("epoch", "2"), List.of(SafeTensor.f64("w", new int[] {1}, new double[] {2}))));
        SafetensorsFile back = Safetensors.read(file);
        assertEquals("2", back.metadataValue("epoch"), "metadata of the second write");
        assertEquals(2.0, back.tensor("w").values()[0], 0.0, "w of the second write");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left beside the target");
        }
    }
}
