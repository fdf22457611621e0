package polygrok.backend.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jcuda.driver.CUdeviceptr;

/**
 * A {@link Launcher} that runs the real kernel sources of src/main/cuda on the CPU: each launch, with the
 * launcher's own grid and argument list, goes to src/test/cuda/kernel_server.cpp (compiled once per JVM with
 * g++), which runs the kernel on a copy of the {@link HostHeap} and sends the heap back. Tests then compare the
 * heap with cpuref. Only the kernels that kernel_server.cpp lists can be run.
 */
final class EmulatedLauncher implements Launcher, AutoCloseable {
    static final Path BUILD_SCRIPT = Path.of("src/test/cuda/build-kernel-server.sh");

    private static Path binary;
    private static String buildFailure;

    private final HostHeap heap;
    private final Process server;
    private final OutputStream toServer;
    private final DataInputStream fromServer;
    private final Path serverErrors;

    /** Why kernels cannot be emulated here (no g++), or null when they can; a missing build script (run from elsewhere than the project root) fails. */
    static synchronized String whyUnavailable() {
        if (binary != null) {
            return null;
        }
        if (buildFailure != null) {
            return buildFailure;
        }
        if (!Files.isRegularFile(BUILD_SCRIPT)) {
            throw new AssertionError("no " + BUILD_SCRIPT + " here: tests run from the project root");
        }
        try {
            Process probe = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return buildFailure = "g++ does not answer: the kernel sources are not emulated on the CPU";
            }
        } catch (IOException e) {
            return buildFailure = "no g++ here: the kernel sources are not emulated on the CPU";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        binary = build();
        return null;
    }

    /** Compiles the server; a compile error is a failure of the kernel sources, never a skip. */
    private static Path build() {
        try {
            Path dir = Files.createTempDirectory("polygrok-kernel-server");
            dir.toFile().deleteOnExit();
            Path out = dir.resolve("kernel_server");
            Process p = new ProcessBuilder("bash", BUILD_SCRIPT.toString(), out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("kernel_server.cpp (the kernel sources on the CPU) did not compile:\n" + log);
            }
            out.toFile().deleteOnExit();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    EmulatedLauncher(HostHeap heap) throws IOException {
        String why = whyUnavailable();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        this.heap = heap;
        serverErrors = Files.createTempFile("polygrok-kernel-server", ".err");
        serverErrors.toFile().deleteOnExit();
        server = new ProcessBuilder(binary.toString()).redirectError(serverErrors.toFile()).start();
        toServer = new BufferedOutputStream(server.getOutputStream(), 1 << 16);
        fromServer = new DataInputStream(new BufferedInputStream(server.getInputStream(), 1 << 16));
    }

    @Override
    public void launch(String family, String kernel, Grid grid, KernelArgs args) {
        try {
            send(kernel, grid, args);
            int length = Integer.reverseBytes(fromServer.readInt());
            if (length != 0) {
                byte[] message = fromServer.readNBytes(length);
                throw new AssertionError(family + "." + kernel + " on the host: " + new String(message, StandardCharsets.UTF_8));
            }
            byte[] bytes = new byte[4 * heap.data.length];
            fromServer.readFully(bytes);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(heap.data);
        } catch (IOException e) {
            throw new AssertionError(family + "." + kernel + ": the kernel server stopped (a crash is an access outside the heap "
                    + "or a bad launch)" + errors(), e);
        }
    }

    private void send(String kernel, Grid grid, KernelArgs args) throws IOException {
        byte[] name = kernel.getBytes(StandardCharsets.US_ASCII);
        var values = args.values();
        ByteBuffer head = ByteBuffer.allocate(4 + name.length + 16 + 4 + 9 * values.size() + 8).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(name.length).put(name);
        head.putInt(Math.toIntExact(grid.gridX())).putInt(Math.toIntExact(grid.gridY())).putInt(Math.toIntExact(grid.gridZ()))
                .putInt(grid.blockX());
        head.putInt(values.size());
        for (Object v : values) {
            if (v instanceof CUdeviceptr p) {
                head.put((byte) 'p').putLong(4L * HostHeap.index(p));
            } else if (v instanceof Integer i) {
                head.put((byte) 'i').putInt(i).putInt(0);
            } else if (v instanceof Long l) {
                head.put((byte) 'l').putLong(l);
            } else if (v instanceof Float f) {
                head.put((byte) 'f').putFloat(f).putInt(0);
            } else if (v instanceof Double d) {
                head.put((byte) 'd').putDouble(d);
            } else {
                throw new IllegalArgumentException(kernel + ": argument of unknown kind " + v);
            }
        }
        head.putLong(4L * heap.data.length);
        toServer.write(head.array(), 0, head.position());
        ByteBuffer body = ByteBuffer.allocate(4 * heap.data.length).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(heap.data);
        toServer.write(body.array());
        toServer.flush();
    }

    private String errors() {
        try {
            String text = Files.readString(serverErrors);
            return text.isBlank() ? "" : ":\n" + text;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            toServer.write(new byte[4]); // a name of length 0 ends the server
            toServer.flush();
        } catch (IOException ignored) {
            // the server has already gone
        }
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroy();
        }
        Files.deleteIfExists(serverErrors);
    }
}
