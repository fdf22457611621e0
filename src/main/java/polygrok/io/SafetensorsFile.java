package polygrok.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of a safetensors file: string metadata and named tensors, both in insertion order
 * (file order when read). Both maps are unmodifiable copies.
 */
public record SafetensorsFile(Map<String, String> metadata, Map<String, SafeTensor> tensors) {

    public SafetensorsFile {
        if (metadata == null || tensors == null) {
            throw new IllegalArgumentException("metadata and tensors must not be null (use an empty map)");
        }
        metadata.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("metadata key and value must not be null, got " + k + " = " + v);
            }
        });
        tensors.forEach((k, t) -> {
            if (t == null || !t.name().equals(k)) {
                throw new IllegalArgumentException("tensor map key \"" + k + "\" must map to a tensor of that name, got "
                        + (t == null ? "null" : "\"" + t.name() + "\""));
            }
        });
        if (tensors.containsKey(Safetensors.METADATA_KEY)) {
            throw new IllegalArgumentException("no tensor may be named " + Safetensors.METADATA_KEY + ": the header reserves it");
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** A file of these tensors (names must be distinct), in the given order. */
    public static SafetensorsFile of(Map<String, String> metadata, List<SafeTensor> tensors) {
        Map<String, SafeTensor> byName = new LinkedHashMap<>();
        for (SafeTensor t : tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor name " + t.name() + " appears twice");
            }
        }
        return new SafetensorsFile(metadata, byName);
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor called {@code name}; a missing one is an error that lists the closest names. */
    public SafeTensor tensor(String name) {
        SafeTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named \"" + name + "\" (" + tensors.size() + " tensors); closest: "
                    + closeNames(name, 5));
        }
        return t;
    }

    /** Metadata value under {@code key}; a missing one is an error that lists the keys there are. */
    public String metadataValue(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no metadata key \"" + key + "\"; keys: " + metadata.keySet());
        }
        return v;
    }

    /** Tensors whose names start with {@code prefix}, keyed and renamed without it, in file order. */
    public Map<String, SafeTensor> withPrefix(String prefix) {
        Map<String, SafeTensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                String rest = name.substring(prefix.length());
                out.put(rest, t.withName(rest));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Up to {@code limit} names nearest to {@code wanted}: by edit distance, names containing it first. */
    List<String> closeNames(String wanted, int limit) {
        List<String> names = new ArrayList<>(tensors.keySet());
        names.sort(Comparator.comparingInt((String n) -> n.contains(wanted) || wanted.contains(n) ? 0 : 1)
                .thenComparingInt(n -> polygrok.config.Names.distance(n, wanted))
                .thenComparing(Comparator.naturalOrder()));
        return names.subList(0, Math.min(limit, names.size()));
    }
}
