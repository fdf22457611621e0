package polygrok.io.torch;

import java.io.IOException;
import java.io.InputStream;
import net.razorvine.pickle.PickleException;

/**
 * Checks the length field of a length-prefixed pickle opcode against the bytes that remain, before
 * the unpickler allocates for it. A damaged or hostile pickle can declare a string of 4 GiB or a
 * negative one; unchecked, that ends in an allocation failure instead of a message.
 */
final class PickleLengths {
    private PickleLengths() {
    }

    /** Bytes of the length field that follows {@code opcode}, 0 for an opcode without one. */
    static int fieldSize(short opcode) {
        return switch (opcode) {
            case 'U', 'C', 0x8c, 0x8a -> 1;           // SHORT_BINSTRING, SHORT_BINBYTES, SHORT_BINUNICODE, LONG1
            case 'T', 'X', 'B', 0x8b -> 4;            // BINSTRING, BINUNICODE, BINBYTES, LONG4
            case 0x8d, 0x8e, 0x96 -> 8;               // BINUNICODE8, BINBYTES8, BYTEARRAY8
            default -> 0;
        };
    }

    /** The opcode's name in pickle's own terms, for messages. */
    static String name(short opcode) {
        return switch (opcode) {
            case 'U' -> "SHORT_BINSTRING";
            case 'C' -> "SHORT_BINBYTES";
            case 0x8c -> "SHORT_BINUNICODE";
            case 0x8a -> "LONG1";
            case 'T' -> "BINSTRING";
            case 'X' -> "BINUNICODE";
            case 'B' -> "BINBYTES";
            case 0x8b -> "LONG4";
            case 0x8d -> "BINUNICODE8";
            case 0x8e -> "BINBYTES8";
            case 0x96 -> "BYTEARRAY8";
            default -> "opcode " + opcode;
        };
    }

    /**
     * Reads the length field of {@code opcode} without consuming it and refuses a length that is
     * negative or runs past the end of {@code in} (which must support mark/reset, as the byte array
     * stream of {@code Unpickler.loads} does).
     */
    static void check(short opcode, InputStream in) throws IOException {
        int size = fieldSize(opcode);
        if (size == 0) {
            return;
        }
        in.mark(size);
        byte[] field = in.readNBytes(size);
        in.reset();
        if (field.length < size) {
            throw new PickleException(name(opcode) + " has a length field of " + size + " bytes but the pickle ends first");
        }
        long length = 0;
        for (int i = size - 1; i >= 0; i--) {
            length = (length << 8) | (field[i] & 0xff);
        }
        boolean signed = opcode == 'T' || opcode == 0x8b; // BINSTRING and LONG4 declare a signed 32-bit length
        if (signed && size == 4) {
            length = (int) length;
        }
        long remaining = (long) in.available() - size;
        if (length < 0 || length > remaining) {
            throw new PickleException(name(opcode) + " declares " + Long.toUnsignedString(length) + " bytes but only "
                    + remaining + " remain: the pickle is truncated or damaged");
        }
    }
}
