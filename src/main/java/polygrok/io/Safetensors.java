package polygrok.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON ({@code __metadata__}: string to string; per tensor {dtype, shape, data_offsets}
 * relative to the end of the header), then the tensors' raw little-endian bytes.
 *
 * <p>Writes are deterministic (tensors sorted by name, as PyTorch's safetensors writes them; the
 * header padded with spaces so the data starts 8-byte aligned) and atomic (see {@link AtomicFiles}).
 * Reads check every header field against the file and report defects as
 * {@link SafetensorsFormatException}s that name the file and what is wrong.
 */
public final class Safetensors {

    /** Header key of the string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final Gson HEADER_JSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final int HEADER_ALIGNMENT = 8;

    private Safetensors() {
    }

    public static SafetensorsFile read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a safetensors file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file (a FIFO, socket or device), not a safetensors file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new SafetensorsFormatException(file, "file is " + fileSize
                        + " bytes, shorter than the 8-byte header length that starts a safetensors file");
            }
            long headerLength = readFully(channel, 0, 8).getLong();
            if (headerLength < 0 || headerLength > fileSize - 8) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " runs past the end of the file (" + (fileSize - 8) + " bytes follow the length)");
            }
            if (headerLength > Integer.MAX_VALUE - 8) {
                throw new SafetensorsFormatException(file, "header length " + headerLength + " is larger than polygrok reads");
            }
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
            SafetensorsHeader header = SafetensorsHeader.parse(file, headerBytes);
            long dataStart = 8 + headerLength;
            long dataLength = fileSize - dataStart;
            header.checkLayout(dataLength);
            Map<String, SafeTensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry entry : header.entries()) {
                ByteBuffer bytes = readFully(channel, dataStart + entry.begin(), (int) (entry.end() - entry.begin()));
                tensors.put(entry.name(), new SafeTensor(entry.name(), entry.dtype(), entry.shape(), decode(file, entry, bytes)));
            }
            return new SafetensorsFile(header.metadata(), tensors);
        }
    }

    /** Writes {@code contents} to {@code file} atomically, tensors sorted by name. */
    public static void write(Path file, SafetensorsFile contents) throws IOException {
        List<SafeTensor> sorted = new ArrayList<>(contents.tensors().values());
        sorted.sort(Comparator.comparing(SafeTensor::name));
        byte[] header = headerBytes(contents.metadata(), sorted);
        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(length.array());
            out.write(header);
            for (SafeTensor t : sorted) {
                encode(t, out);
            }
        });
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data starts aligned. */
    static byte[] headerBytes(Map<String, String> metadata, List<SafeTensor> sorted) {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (SafeTensor t : sorted) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(new JsonPrimitive(offset));
            offset += t.byteCount();
            offsets.add(new JsonPrimitive(offset));
            entry.add("data_offsets", offsets);
            header.add(t.name(), entry);
        }
        if (!metadata.isEmpty()) {
            // Last, as the PyTorch writer puts it: polygrok then rewrites a reference file byte for byte.
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA_KEY, meta);
        }
        byte[] json = HEADER_JSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void encode(SafeTensor t, OutputStream out) throws IOException {
        double[] v = t.values();
        int size = t.dtype().byteSize();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            if (chunk.remaining() < size) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            switch (t.dtype()) {
                case F32 -> chunk.putFloat((float) v[i]);
                case F64 -> chunk.putDouble(v[i]);
                case I64 -> chunk.putLong((long) v[i]);
                case I32 -> chunk.putInt((int) v[i]);
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private static double[] decode(Path file, SafetensorsHeader.Entry entry, ByteBuffer bytes) throws SafetensorsFormatException {
        int n = Math.toIntExact(entry.elementCount());
        double[] v = new double[n];
        switch (entry.dtype()) {
            case F32 -> {
                float[] f = new float[n]; // one bulk copy, then widen: several times faster than getFloat(i)
                bytes.asFloatBuffer().get(f);
                for (int i = 0; i < n; i++) {
                    v[i] = f[i];
                }
            }
            case F64 -> bytes.asDoubleBuffer().get(v);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = bytes.getInt(4 * i);
                }
            }
            case I64 -> {
                for (int i = 0; i < n; i++) {
                    long x = bytes.getLong(8 * i);
                    if (Math.abs((double) x) >= SafeTensor.MAX_EXACT_INTEGER) {
                        throw new SafetensorsFormatException(file, "tensor " + entry.name() + ": I64 value " + x + " at index " + i
                                + " is beyond 2^53, which polygrok cannot hold exactly");
                    }
                    v[i] = x;
                }
            }
        }
        return v;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new IOException("file ended early while reading " + length + " bytes at offset " + position);
            }
        }
        return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
    }
}
