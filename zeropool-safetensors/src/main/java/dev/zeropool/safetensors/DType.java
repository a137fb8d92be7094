package dev.zeropool.safetensors;

import java.util.Arrays;

/**
 * The safetensors element types this reader knows, by their header name, with their width: those of the
 * format as of safetensors 0.6, including the sub-byte MX types {@code F4} (4 bits) and {@code F6_*} (6
 * bits), packed, so that a tensor of them must come to a whole number of bytes. Immutable.
 */
public enum DType {
    BOOL(8), F4(4), F6_E2M3(6), F6_E3M2(6), U8(8), I8(8), F8_E5M2(8), F8_E4M3(8), F8_E8M0(8),
    I16(16), U16(16), F16(16), BF16(16),
    I32(32), U32(32), F32(32),
    C64(64), F64(64), I64(64), U64(64);

    /** Characters of an unknown name a message quotes: a hostile file may make it megabytes long. */
    private static final int MAX_QUOTED = 80;

    private final int bits;

    DType(int bits) {
        this.bits = bits;
    }

    /** @return bits per element: 4 or 6 for the sub-byte types, else a multiple of 8 */
    public int bits() {
        return bits;
    }

    /**
     * @return bytes per element
     * @throws UnsupportedOperationException for {@code F4} and the {@code F6_*} types, whose elements are not
     *     a whole number of bytes: use {@link #bits()}, or {@link TensorSpec#byteSize()} for a tensor
     */
    public int bytes() {
        if (bits % 8 != 0) {
            throw new UnsupportedOperationException(this + " elements are " + bits + " bits, not a whole number of "
                    + "bytes: use bits()");
        }
        return bits / 8;
    }

    /**
     * @param name the header's {@code dtype} string, for example {@code "F32"}
     * @throws IllegalArgumentException naming the value (its first 80 characters) if it is no known dtype,
     *     null included
     */
    public static DType of(String name) {
        if (name == null) {
            throw new IllegalArgumentException("no safetensors dtype given (null); known: " + Arrays.toString(values()));
        }
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        String quoted = name.length() <= MAX_QUOTED ? name
                : name.substring(0, MAX_QUOTED) + "... (" + name.length() + " characters)";
        throw new IllegalArgumentException("unknown safetensors dtype \"" + quoted + "\"; known: "
                + Arrays.toString(values()));
    }
}
