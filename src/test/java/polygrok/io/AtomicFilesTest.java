package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> filesIn(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesBytesAndStringsCreatingParentDirectories() throws IOException {
        Path bytes = dir.resolve("run/checkpoints/a.bin");
        AtomicFiles.write(bytes, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(bytes), "bytes written");
        Path text = dir.resolve("summary.json");
        AtomicFiles.writeString(text, "{\"p\": 97, \"ü\": 1}");
        assertEquals("{\"p\": 97, \"ü\": 1}", Files.readString(text), "UTF-8 text written");
        AtomicFiles.writeString(text, "second");
        assertEquals("second", Files.readString(text), "a second write replaces the first");
        assertEquals(List.of(dir.resolve("run"), text), filesIn(dir), "no temporary files left");
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("ckpt.safetensors");
        AtomicFiles.writeString(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": disk full"), e.getMessage());
        assertEquals("old", Files.readString(target), "the old content must survive a failed write");
        assertEquals(List.of(target), filesIn(dir), "the temporary file must be removed");
    }

    @Test
    void uncheckedExceptionsOfTheWriterPassThroughAfterCleanUp() throws IOException {
        Path target = dir.resolve("x");
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            throw boom;
        }));
        assertSame(boom, e, "the writer's own exception");
        assertEquals(List.of(), filesIn(dir), "neither target nor temporary file");
    }

    @Test
    void anUnwritableDirectoryIsNamed() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(locked), "running as a user who may write anywhere (root): permissions cannot be tested");
            Path target = locked.resolve("m.jsonl");
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
            assertTrue(e.getMessage().startsWith("cannot write " + target + ": permission denied"), e.getMessage());
            assertTrue(e.getMessage().contains(locked.toString()), "names the directory: " + e.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aParentThatIsAFileIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path target = file.resolve("child.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void nonRegularTargetsAreRefusedAndSymlinksWrittenThrough(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path fifo = dir.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available here");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AtomicFiles.writeString(fifo, "x"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.exists(fifo) && !java.nio.file.Files.isRegularFile(fifo), "the FIFO is left alone");
        java.nio.file.Path sub = java.nio.file.Files.createDirectory(dir.resolve("sub"));
        e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> AtomicFiles.writeString(sub, "x"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("it is a directory"), e.getMessage());
        java.nio.file.Path real = dir.resolve("real.html"), link = dir.resolve("link.html");
        java.nio.file.Files.writeString(real, "old");
        java.nio.file.Files.createSymbolicLink(link, real.getFileName());
        AtomicFiles.writeString(link, "new");
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.isSymbolicLink(link), "the link stays a link");
        org.junit.jupiter.api.Assertions.assertEquals("new", java.nio.file.Files.readString(real));
        String longName = "r".repeat(245) + ".html";
        AtomicFiles.writeString(dir.resolve(longName), "fits");
        org.junit.jupiter.api.Assertions.assertEquals("fits", java.nio.file.Files.readString(dir.resolve(longName)),
                "a legal 250-character name works: the temporary name stays short");
    }
}
