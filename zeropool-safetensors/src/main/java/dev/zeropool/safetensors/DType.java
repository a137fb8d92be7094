package dev.zeropool.safetensors;

import java.util.Arrays;

/** The safetensors element types this reader knows, by their header name, with their width in bytes. Immutable. */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E4M3(1), F8_E5M2(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }

    /**
     * @param name the header's {@code dtype} string, for example {@code "F32"}
     * @throws IllegalArgumentException naming the value if it is no known dtype
     */
    public static DType of(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown safetensors dtype \"" + name + "\"; known: "
                + Arrays.toString(values()));
    }
}
