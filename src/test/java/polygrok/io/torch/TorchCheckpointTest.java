package polygrok.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .pth fixtures (src/test/resources/pth, written by make_fixtures.py with PyTorch's own torch.save
 * and the original code's module tree) read back to the values PyTorch itself read from them
 * (expected.json), bit for bit; the optimizer's moments land on the right names; what is not a state
 * dict is refused, and a pickle that would run code is refused without running it.
 */
class TorchCheckpointTest {
    static final Path DIR = Path.of("src/test/resources/pth");

    @Test
    void everyTensorAndMomentReadsBackAsPyTorchReadIt() throws IOException {
        JsonObject expected = JsonParser.parseString(Files.readString(DIR.resolve("expected.json"))).getAsJsonObject();
        for (String name : List.of("0.pth", "3.pth")) {
            TorchCheckpoint c = TorchCheckpoint.read(DIR.resolve(name));
            JsonObject e = expected.getAsJsonObject(name);
            assertEquals(List.of("embed.W_E", "blocks.0.attn.W_K", "blocks.0.attn.W_Q", "blocks.0.attn.W_V", "blocks.0.attn.W_O",
                    "blocks.0.attn.mask", "blocks.0.mlp.W_in", "blocks.0.mlp.W_out", "unembed.W_U"), List.copyOf(c.model().keySet()),
                    name + ": the state dict's keys in order, the mask buffer included");
            var all = c.toSafetensors().tensors();
            for (String key : e.keySet()) {
                if (key.equals("step") || key.equals("epoch")) {
                    continue;
                }
                JsonObject t = e.getAsJsonObject(key);
                double[] want = new double[t.getAsJsonArray("values").size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = t.getAsJsonArray("values").get(i).getAsDouble();
                }
                int[] shape = new int[t.getAsJsonArray("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.getAsJsonArray("shape").get(i).getAsInt();
                }
                assertTrue(all.containsKey(key), name + ": " + key + " missing; have " + all.keySet());
                assertArrayEquals(shape, all.get(key).shape(), name + " " + key + " shape");
                assertArrayEquals(want, all.get(key).values(), 0.0, name + " " + key + " values");
            }
            assertEquals(e.get("step").getAsLong(), c.step(), name + " step");
            assertEquals(e.get("epoch").getAsInt(), c.epoch(), name + " epoch");
            assertEquals("F32", all.get("embed.W_E").dtype().name());
        }
    }

    @Test
    void initHoldsTheSplitAndNoOptimizer() throws IOException {
        TorchCheckpoint c = TorchCheckpoint.read(DIR.resolve("init.pth"));
        assertEquals(72, c.trainData().size(), "12 x 12 operand pairs, half train");
        assertEquals(72, c.testData().size());
        assertEquals(2, c.trainData().get(0).length);
        assertTrue(c.moment1().isEmpty() && c.step() == -1);
    }

    @Test
    void aPickleThatWouldRunCodeIsRefused() {
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(DIR.resolve("evil.pth")));
        assertTrue(e.getMessage().contains("evil.pth") && e.getMessage().contains("refused") && e.getMessage().contains("system"),
                e.getMessage());
    }

    @Test
    void theLegacyFormatAndOtherFilesAreNamedForWhatTheyAre(@TempDir Path tmp) throws IOException {
        IOException legacy = assertThrows(IOException.class, () -> TorchCheckpoint.read(DIR.resolve("legacy.pth")));
        assertTrue(legacy.getMessage().contains("legacy") && legacy.getMessage().contains("torch.save"), legacy.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.pth"), "hello");
        IOException notZip = assertThrows(IOException.class, () -> TorchCheckpoint.read(text));
        assertTrue(notZip.getMessage().contains("not a PyTorch checkpoint"), notZip.getMessage());
        byte[] good = Files.readAllBytes(DIR.resolve("0.pth"));
        Path torn = Files.write(tmp.resolve("torn.pth"), java.util.Arrays.copyOf(good, good.length / 2));
        IOException broken = assertThrows(IOException.class, () -> TorchCheckpoint.read(torn));
        assertTrue(broken.getMessage().contains("torn.pth"), broken.getMessage());
    }

    @Test
    void halfPrecisionDecodesExactly() {
        assertEquals(1.0f, TorchCheckpoint.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, TorchCheckpoint.halfToFloat((short) 0xc000));
        assertEquals(0x1p-24f, TorchCheckpoint.halfToFloat((short) 0x0001), "smallest subnormal");
        assertEquals(65504f, TorchCheckpoint.halfToFloat((short) 0x7bff), "largest normal");
        assertTrue(Float.isNaN(TorchCheckpoint.halfToFloat((short) 0x7e00)));
    }

    @Test
    void aSafetensorsFileWhoseHeaderLengthStartsWith0x80IsNotTakenForAPth(@TempDir Path tmp) throws IOException {
        // a header length of 0x80 + 0x0100 * k: the file's first byte is 0x80, as the pickle protocol marker is
        byte[] file = new byte[16];
        file[0] = (byte) 0x80;
        file[1] = 0x01;
        Path f = Files.write(tmp.resolve("model.safetensors"), file);
        assertTrue(!TorchCheckpoint.looksLikePth(f), "a safetensors header length is not a legacy .pth");
        assertTrue(TorchCheckpoint.looksLikePth(DIR.resolve("legacy.pth")) && TorchCheckpoint.looksLikePth(DIR.resolve("0.pth")));
    }
}
