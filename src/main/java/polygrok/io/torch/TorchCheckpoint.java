package polygrok.io.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;
import polygrok.io.SafeDType;
import polygrok.io.SafeTensor;
import polygrok.io.SafetensorsFile;

/**
 * A checkpoint torch.save wrote: the original training script's {@code {'model': state_dict,
 * 'optimizer': ..., 'epoch': ...}} (or {@code init.pth} with the split), or a bare state dict.
 *
 * @param model     the state dict, in its order (buffers such as the causal mask included)
 * @param moment1   AdamW's exp_avg by parameter name (empty without an optimizer state)
 * @param moment2   AdamW's exp_avg_sq by parameter name
 * @param step      the optimizer's step count, or -1
 * @param epoch     the checkpoint's 'epoch', or -1
 * @param trainData init.pth's train_data: operand tuples in split order (empty when absent)
 * @param testData  init.pth's test_data
 * @param trainLoss the 'train_loss' the original script saved with it (NaN when absent)
 * @param testLoss  its 'test_loss' (NaN when absent)
 */
public record TorchCheckpoint(Map<String, TorchTensor> model, Map<String, TorchTensor> moment1, Map<String, TorchTensor> moment2,
                              long step, int epoch, List<int[]> trainData, List<int[]> testData, double trainLoss, double testLoss) {
    /** Larger pickles or archives than this are not checkpoints of models polygrok trains. */
    static final long MAX_PICKLE_BYTES = 64L << 20, MAX_STORAGE_BYTES = 4L << 30;

    /** Reads a .pth; refuses the legacy (pre-1.6) format, foreign globals and damaged archives, naming the file. */
    public static TorchCheckpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TorchPickleException(file, Files.isDirectory(file) ? "is a directory, not a .pth file"
                    : Files.exists(file) ? "is not a regular file" : "no such file");
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n == 4 && isLegacyMagic(head)) {
                throw new TorchPickleException(file, "is in PyTorch's legacy (pre-1.6) format, which polygrok does not read;"
                        + " re-save it with a newer PyTorch: torch.save(torch.load(path), path)");
            }
            if (n < 4 || head[0] != 'P' || head[1] != 'K') {
                throw new TorchPickleException(file, "is not a PyTorch checkpoint (torch.save writes a zip archive; this file"
                        + " does not start like one)");
            }
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(file, zip);
        } catch (java.util.zip.ZipException e) {
            throw new TorchPickleException(file, "is a damaged zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static TorchCheckpoint read(Path file, ZipFile zip) throws IOException {
        ZipEntry pickle = null;
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
            if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
                if (pickle != null) {
                    throw new TorchPickleException(file, "holds two pickles (" + pickle.getName() + ", " + e.getName() + ")");
                }
                pickle = e;
            }
        }
        if (pickle == null) {
            throw new TorchPickleException(file, "has no data.pkl entry; not an archive torch.save wrote");
        }
        String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        ByteOrder byteOrder = order != null && new String(bytes(file, zip, order, 16)).trim().equals("big")
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Map<String, RestrictedUnpickler.Storage> storages = new HashMap<>();
        long[] storageBytes = {0};
        RestrictedUnpickler unpickler = new RestrictedUnpickler(pid -> storages.computeIfAbsent((String) pid[2], key -> {
            String type = ((RestrictedUnpickler.Allowed) pid[1]).name;
            long numel = ((Number) pid[4]).longValue();
            ZipEntry entry = zip.getEntry(prefix + "data/" + key);
            if (entry == null) {
                throw new PickleException("storage " + key + " is missing from the archive");
            }
            int size = elementSize(type);
            if (numel < 0 || numel * size > MAX_STORAGE_BYTES || (storageBytes[0] += numel * size) > MAX_STORAGE_BYTES) {
                throw new PickleException("storages larger than " + (MAX_STORAGE_BYTES >> 30) + " GiB");
            }
            try {
                byte[] raw = bytes(file, zip, entry, numel * size);
                if (raw.length != numel * size) {
                    throw new PickleException("storage " + key + " holds " + raw.length + " bytes, " + numel + " " + type
                            + " elements need " + numel * size);
                }
                return new RestrictedUnpickler.Storage(type, decode(type, ByteBuffer.wrap(raw).order(byteOrder), (int) numel));
            } catch (IOException e) {
                throw new PickleException(e.getMessage());
            }
        }));
        Object root;
        try {
            root = unpickler.loads(bytes(file, zip, pickle, MAX_PICKLE_BYTES));
        } catch (PickleException e) {
            throw new TorchPickleException(file, "refused: " + e.getMessage(), e);
        } catch (ClassCastException | ArithmeticException | IndexOutOfBoundsException | NullPointerException
                 | NegativeArraySizeException | java.util.EmptyStackException e) {
            // the JDK's own messages name Java classes; say what they mean for a pickle instead
            throw new TorchPickleException(file, "refused: its pickle is not shaped like a state dict (a value of the"
                    + " wrong kind, or a missing one, where a state dict holds a dict, a tuple, a number or a tensor)", e);
        } catch (IOException e) {
            throw new TorchPickleException(file, "cannot read its pickle: " + e.getMessage(), e);
        }
        return interpret(file, root);
    }

    private static byte[] bytes(Path file, ZipFile zip, ZipEntry e, long limit) throws IOException {
        if (e.getSize() > limit) {
            throw new TorchPickleException(file, e.getName() + " is " + e.getSize() + " bytes, more than the " + limit + " expected");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8) + 1);
            if (b.length > limit) {
                throw new TorchPickleException(file, e.getName() + " unpacks to more than " + limit + " bytes");
            }
            return b;
        }
    }

    static int elementSize(String type) {
        return switch (type) {
            case "DoubleStorage", "LongStorage" -> 8;
            case "FloatStorage", "IntStorage" -> 4;
            case "HalfStorage", "BFloat16Storage", "ShortStorage" -> 2;
            case "CharStorage", "ByteStorage", "BoolStorage" -> 1;
            default -> throw new PickleException("unknown storage type " + type);
        };
    }

    private static double[] decode(String type, ByteBuffer b, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case "DoubleStorage" -> b.getDouble();
                case "FloatStorage" -> b.getFloat();
                case "HalfStorage" -> halfToFloat(b.getShort());
                case "BFloat16Storage" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                case "LongStorage" -> b.getLong();
                case "IntStorage" -> b.getInt();
                case "ShortStorage" -> b.getShort();
                case "CharStorage" -> b.get();
                case "ByteStorage", "BoolStorage" -> b.get() & 0xff;
                default -> throw new PickleException("unknown storage type " + type);
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to float (exact): Java 17 has no Float.float16ToFloat. */
    static float halfToFloat(short h) {
        int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
        float magnitude;
        if (exponent == 0) {
            magnitude = fraction * 0x1p-24f; // subnormal
        } else if (exponent == 31) {
            magnitude = fraction == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Float.intBitsToFloat(((exponent + 112) << 23) | (fraction << 13));
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    /** Finds the state dict, the optimizer's moments (by the state dict's parameter order) and the split. */
    private static TorchCheckpoint interpret(Path file, Object root) throws IOException {
        Map<String, Object> top = RestrictedUnpickler.asMap(root);
        if (top == null) {
            throw new TorchPickleException(file, "holds " + describe(root) + ", not a state dict or a dict with 'model'");
        }
        Object sd = top.containsKey("model") ? top.get("model") : top;
        Map<String, Object> stateDict = RestrictedUnpickler.asMap(sd);
        if (stateDict == null) {
            throw new TorchPickleException(file, "'model' is " + describe(sd) + ", not a state dict");
        }
        Map<String, TorchTensor> model = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (v instanceof TorchTensor t) {
                model.put(String.valueOf(k), t);
            }
        });
        if (model.isEmpty()) {
            throw new TorchPickleException(file, "holds no tensors; keys: " + stateDict.keySet());
        }
        Map<String, TorchTensor> m1 = new LinkedHashMap<>(), m2 = new LinkedHashMap<>();
        long step = -1;
        Map<String, Object> optimizer = RestrictedUnpickler.asMap(top.get("optimizer"));
        if (optimizer != null && optimizer.get("state") instanceof Map<?, ?> state && !state.isEmpty()) {
            List<String> params = parameterNames(model);
            List<Integer> indices = new ArrayList<>();
            if (optimizer.get("param_groups") instanceof List<?> groups) {
                for (Object g : groups) {
                    if (g instanceof Map<?, ?> gm && gm.get("params") instanceof List<?> ps) {
                        ps.forEach(p -> indices.add(((Number) p).intValue()));
                    }
                }
            }
            if (indices.size() != params.size()) {
                throw new TorchPickleException(file, "the optimizer holds " + indices.size() + " parameters but the state dict "
                        + params.size() + " (" + params + "); cannot tell which moments belong to which tensor");
            }
            for (int k = 0; k < indices.size(); k++) {
                Object s = state.get(indices.get(k));
                if (s == null) {
                    s = state.get((long) indices.get(k));
                }
                if (s instanceof Map<?, ?> one) {
                    if (one.get("exp_avg") instanceof TorchTensor a) {
                        m1.put(params.get(k), a);
                    }
                    if (one.get("exp_avg_sq") instanceof TorchTensor b) {
                        m2.put(params.get(k), b);
                    }
                    Object st = one.get("step");
                    step = Math.max(step, st instanceof TorchTensor t ? (long) t.values()[0] : st instanceof Number n ? n.longValue() : -1);
                }
            }
        }
        int epoch = top.get("epoch") instanceof Number n ? n.intValue() : -1;
        return new TorchCheckpoint(model, m1, m2, step, epoch, tuples(top.get("train_data")), tuples(top.get("test_data")),
                number(top.get("train_loss")), number(top.get("test_loss")));
    }

    /**
     * The state dict's parameters in order: the optimizer numbers them so. Buffers are not parameters;
     * the original code's only buffer is the causal mask ({@code blocks.N.attn.mask}).
     */
    static List<String> parameterNames(Map<String, TorchTensor> model) {
        return model.keySet().stream().filter(k -> !k.endsWith(".mask")).toList();
    }

    private static List<int[]> tuples(Object o) {
        List<int[]> out = new ArrayList<>();
        if (o instanceof List<?> list) {
            for (Object x : list) {
                Object[] t = x instanceof Object[] a ? a : x instanceof List<?> l ? l.toArray() : new Object[]{x};
                int[] v = new int[t.length];
                for (int i = 0; i < t.length; i++) {
                    v[i] = t[i] instanceof Number n ? n.intValue() : t[i] instanceof TorchTensor tt ? (int) tt.values()[0] : -1;
                }
                out.add(v);
            }
        }
        return out;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : o instanceof TorchTensor t && t.values().length == 1 ? t.values()[0] : Double.NaN;
    }

    /** A pickled value's kind in Python's words, with its article (the reader's Java classes mean nothing to a user). */
    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof String) {
            return "a str";
        }
        if (o instanceof byte[]) {
            return "a bytes object";
        }
        if (o instanceof Boolean) {
            return "a bool";
        }
        if (o instanceof Double || o instanceof Float) {
            return "a float";
        }
        if (o instanceof Number) {
            return "an int";
        }
        if (o instanceof Object[]) {
            return "a tuple";
        }
        if (o instanceof java.util.List<?>) {
            return "a list";
        }
        if (o instanceof java.util.Set<?>) {
            return "a set";
        }
        if (o instanceof java.util.Map<?, ?>) {
            return "a dict";
        }
        return o instanceof TorchTensor ? "a tensor" : "a value of another kind";
    }

    /**
     * The checkpoint with polygrok's names: the state dict's tensors (float ones as F32 or F64, as saved),
     * AdamW's moments as opt.m.NAME and opt.v.NAME, and metadata epoch, step and source "pth".
     */
    public SafetensorsFile toSafetensors() {
        Map<String, SafeTensor> tensors = new LinkedHashMap<>();
        model.forEach((k, t) -> tensors.put(k, tensor(k, t)));
        moment1.forEach((k, t) -> tensors.put("opt.m." + k, tensor("opt.m." + k, t)));
        moment2.forEach((k, t) -> tensors.put("opt.v." + k, tensor("opt.v." + k, t)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "pth");
        if (epoch >= 0) {
            meta.put("epoch", Integer.toString(epoch));
        }
        if (step >= 0) {
            meta.put("step", Long.toString(step));
        }
        return new SafetensorsFile(meta, tensors);
    }

    private static SafeTensor tensor(String name, TorchTensor t) {
        SafeDType type = switch (t.storageType()) {
            case "DoubleStorage" -> SafeDType.F64;
            case "LongStorage" -> SafeDType.I64;
            case "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage" -> SafeDType.I32;
            default -> SafeDType.F32; // float, half and bfloat16 are all exact in float32
        };
        return new SafeTensor(name, type, t.shape(), t.values());
    }

    /**
     * Whether a file starts like a .pth rather than a safetensors file: a zip archive ("PK\\3\\4"), or
     * the legacy format's pickle of its magic number (0x80 0x02 0x8a 0x0a). A safetensors file starts
     * with its header's length as 8 little-endian bytes, whose first byte may be anything, so one byte
     * is not enough to tell (a header of 128 + 256 k bytes starts with 0x80).
     */
    public static boolean looksLikePth(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(4);
            return h.length == 4 && ((h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4) || isLegacyMagic(h));
        } catch (IOException e) {
            return false;
        }
    }

    /** pickle protocol 2, then LONG1 of 10 bytes: how torch.save's legacy format begins (its magic number). */
    static boolean isLegacyMagic(byte[] h) {
        return (h[0] & 0xff) == 0x80 && h[1] == 0x02 && (h[2] & 0xff) == 0x8a && h[3] == 0x0a;
    }
}
