package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.check.ReferenceFiles;

/** Reads the PyTorch-written reference files the tests carry (src/test/resources/reference). */
class SafetensorsReferenceFilesTest {

    @TempDir
    Path dir;

    private static List<Path> referenceFiles() throws IOException {
        List<Path> files = ReferenceFiles.list();
        assertFalse(files.isEmpty(), "no .safetensors files in " + ReferenceFiles.directory());
        return files;
    }

    private static Path reference(String name) {
        return ReferenceFiles.named(name);
    }

    @Test
    void everyReferenceFileReadsWithItsFormatTag() throws IOException {
        for (Path p : referenceFiles()) {
            SafetensorsFile f = Safetensors.read(p);
            assertEquals("polygrok-reference-1", f.metadataValue("format"), "format of " + p);
            assertFalse(f.tensors().isEmpty(), p + " holds tensors");
        }
    }

    @Test
    void tinyAddHoldsI64TokensAndAnF64Loss() throws IOException {
        SafetensorsFile f = Safetensors.read(reference("tiny_add"));
        SafeTensor tokens = f.tensor("input.tokens");
        assertEquals(SafeDType.I64, tokens.dtype(), "input.tokens dtype");
        assertArrayEquals(new int[] {24, 3}, tokens.shape(), "input.tokens shape");
        int[] t = tokens.intValues();
        for (int b = 0; b < 24; b++) {
            assertEquals(14, t[3 * b + 1], "input.tokens[" + b + ", 1] must be the '+' token p + 1 = 14");
        }
        SafeTensor loss = f.tensor("out.loss");
        assertEquals(SafeDType.F64, loss.dtype(), "out.loss dtype");
        assertArrayEquals(new int[] {1}, loss.shape(), "out.loss shape");
        // an untrained model over 18 classes: loss near ln(18) = 2.89
        assertEquals(Math.log(18), loss.values()[0], 0.5, "out.loss of an untrained model");
        assertEquals(SafeDType.F32, f.tensor("param.embed.W_E").dtype(), "param.embed.W_E dtype");
        assertArrayEquals(new int[] {32, 18}, f.tensor("param.embed.W_E").shape(), "param.embed.W_E shape");
    }

    @Test
    void seedAddP97HoldsI64TokensAndAnF64Loss() throws IOException {
        SafetensorsFile f = Safetensors.read(reference("seed_add_p97"));
        SafeTensor tokens = f.tensor("input.tokens");
        assertEquals(SafeDType.I64, tokens.dtype(), "input.tokens dtype");
        assertArrayEquals(new int[] {64, 3}, tokens.shape(), "input.tokens shape");
        int[] t = tokens.intValues();
        for (int b = 0; b < 64; b++) {
            assertEquals(98, t[3 * b + 1], "input.tokens[" + b + ", 1] must be the '+' token p + 1 = 98");
        }
        SafeTensor loss = f.tensor("out.loss");
        assertEquals(SafeDType.F64, loss.dtype(), "out.loss dtype");
        // an untrained model over 102 classes: loss near ln(102) = 4.62
        assertEquals(Math.log(102), loss.values()[0], 0.5, "out.loss of an untrained model");
        assertArrayEquals(new int[] {128, 102}, f.tensor("param.embed.W_E").shape(), "param.embed.W_E shape");
    }

    /** polygrok's writer lays a file out exactly as PyTorch's safetensors does: a rewrite gives the same bytes. */
    @Test
    void rewritingAReferenceFileReproducesItsBytes() throws IOException {
        for (String name : List.of("tiny_add", "tiny_mlp")) {
            Path original = reference(name);
            Path copy = dir.resolve(name + ".safetensors");
            Safetensors.write(copy, Safetensors.read(original));
            byte[] expected = Files.readAllBytes(original);
            byte[] actual = Files.readAllBytes(copy);
            assertEquals(expected.length, actual.length, "size of rewritten " + name);
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] != actual[i]) {
                    assertEquals(expected[i], actual[i], "rewritten " + name + " differs first at byte " + i);
                }
            }
        }
    }
}
