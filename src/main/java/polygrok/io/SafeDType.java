package polygrok.io;

import java.util.Arrays;

/**
 * Element types polygrok reads and writes in safetensors files. Separate from
 * {@link polygrok.tensor.DType} because files carry 64-bit integers (PyTorch's token tensors)
 * that no backend stores.
 */
public enum SafeDType {
    F32(4), F64(8), I64(8), I32(4);

    private final int byteSize;

    SafeDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes one element takes in the file. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether values of this type must be whole numbers. */
    public boolean isInteger() {
        return this == I64 || this == I32;
    }

    /** The type named {@code name} in a safetensors header, or null when polygrok does not know it. */
    static SafeDType fromHeaderName(String name) {
        for (SafeDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The names a header may use, for error messages. */
    static String knownNames() {
        return Arrays.toString(values());
    }
}
