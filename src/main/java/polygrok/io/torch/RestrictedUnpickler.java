package polygrok.io.torch;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * An unpickler that knows only what a PyTorch state dict is made of: ordered dicts, tensors rebuilt
 * from storages, and the storage types. Any other global (os.system, builtins.eval, a class of the
 * training script...) is refused before it can be used, and the opcodes that instantiate classes by
 * name (INST, OBJ) are refused outright. Storages are resolved by {@code storages} (persistent ids).
 */
final class RestrictedUnpickler extends Unpickler {
    /** The globals a state dict or an optimizer state needs, as "module.name". */
    static final Set<String> ALLOWED = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage",
            "torch.BFloat16Storage", "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage");

    /** A global on the allow-list: what the unpickler pushes for it. */
    static final class Allowed implements IObjectConstructor {
        final String module, name;
        private final Function<Object[], Object> construct;

        Allowed(String module, String name, Function<Object[], Object> construct) {
            this.module = module;
            this.name = name;
            this.construct = construct;
        }

        @Override
        public Object construct(Object[] args) {
            if (construct == null) {
                throw new PickleException(module + "." + name + " is a type, not something to call");
            }
            return construct.apply(args);
        }
    }

    /** collections.OrderedDict: a map that keeps its order and accepts the state PyTorch attaches (_metadata). */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // the state dict's _metadata (versions of modules): not needed to read the tensors
        }
    }

    static {
        register("collections", "OrderedDict", args -> new OrderedDict());
        register("torch._utils", "_rebuild_tensor_v2", RestrictedUnpickler::rebuildTensor);
        register("torch._utils", "_rebuild_parameter", args -> args[0]);
        for (String s : ALLOWED) {
            if (s.startsWith("torch.") && s.endsWith("Storage")) {
                register("torch", s.substring("torch.".length()), null);
            }
        }
    }

    private static void register(String module, String name, Function<Object[], Object> construct) {
        Unpickler.registerConstructor(module, name, new Allowed(module, name, construct));
    }

    private final Function<Object[], Object> storages;

    RestrictedUnpickler(Function<Object[], Object> storages) {
        this.storages = storages;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        if (key == Opcodes.INST || key == Opcodes.OBJ) {
            throw new PickleException("the pickle instantiates a class by name (opcode " + (char) key + "); a state dict never does");
        }
        PickleLengths.check(key, input);
        if (key == Opcodes.SETITEMS) {
            // razorvine gathers the items in a HashMap first, which loses a state dict's order: put them in order
            java.util.List<Object> items = stack.pop_all_since_marker();
            if (!(stack.peek() instanceof Map<?, ?>)) {
                throw new PickleException("SETITEMS adds items to something that is not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
            for (int i = 0; i + 1 < items.size(); i += 2) {
                dict.put(items.get(i), items.get(i + 1));
            }
            return NO_RETURN_VALUE;
        }
        Object result = super.dispatch(key);
        if (key == Opcodes.GLOBAL || key == Opcodes.STACK_GLOBAL) {
            Object pushed = stack.peek();
            if (!(pushed instanceof Allowed)) {
                throw new PickleException("the pickle refers to " + describe(pushed) + ", which a state dict never needs;"
                        + " polygrok reads only " + String.join(", ", new java.util.TreeSet<>(ALLOWED)));
            }
        }
        return result;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof Allowed)) {
            throw new PickleException("unknown persistent id " + java.util.Arrays.deepToString(pid instanceof Object[] a ? a : new Object[]{pid}));
        }
        return storages.apply(t);
    }

    /** The global's "module.name" as razorvine's generic constructor holds it, for the refusal message. */
    private static String describe(Object constructor) {
        try {
            var module = constructor.getClass().getDeclaredField("module");
            var name = constructor.getClass().getDeclaredField("name");
            module.setAccessible(true);
            name.setAccessible(true);
            return "the global " + module.get(constructor) + "." + name.get(constructor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "a global outside the allow-list";
        }
    }

    /** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage s)) {
            throw new PickleException("_rebuild_tensor_v2 with unexpected arguments");
        }
        int offset = ((Number) args[1]).intValue();
        int[] size = ints(args[2]), stride = ints(args[3]);
        long count = 1;
        for (int d : size) {
            if (d < 0) {
                throw new PickleException("negative size " + java.util.Arrays.toString(size));
            }
            count *= d;
        }
        if (count > Integer.MAX_VALUE) {
            throw new PickleException("tensor of " + count + " elements is larger than polygrok reads");
        }
        double[] out = new double[(int) count];
        int[] index = new int[size.length];
        for (int i = 0; i < out.length; i++) {
            long at = offset;
            for (int d = 0; d < size.length; d++) {
                at += (long) index[d] * stride[d];
            }
            if (at < 0 || at >= s.values().length) {
                throw new PickleException("tensor reaches element " + at + " of a storage of " + s.values().length);
            }
            out[i] = s.values()[(int) at];
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return new TorchTensor(out, size, s.type());
    }

    private static int[] ints(Object tuple) {
        Object[] t = (Object[]) tuple;
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = Math.toIntExact(((Number) t[i]).longValue());
        }
        return out;
    }

    /** A storage's values, decoded from the archive. */
    record Storage(String type, double[] values) {
    }

    static Map<String, Object> asMap(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = o instanceof Map<?, ?> ? (Map<String, Object>) o : null;
        return m;
    }
}
