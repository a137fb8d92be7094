package dev.zeropool;

import java.nio.ByteBuffer;

/**
 * Fills buffers with a byte pattern and finds where a buffer departs from it, a chunk at a time with the
 * JDK's bulk (vectorised) operations. Used to zero buffers on release and, in STRICT validation, to poison
 * them. Immutable and thread-safe: only absolute operations touch the pattern buffer, and those do not
 * change its position or limit.
 */
final class Poison {

    private static final int CHUNK = 64 * 1024;

    private final ByteBuffer pattern;
    private final byte value;

    Poison(byte value) {
        this.value = value;
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            chunk.put(i, value);
        }
        this.pattern = chunk;
    }

    byte value() {
        return value;
    }

    /** Overwrites the whole buffer, up to its capacity, whatever its position and limit. */
    void fill(ByteBuffer buffer) {
        ByteBuffer whole = wholeOf(buffer);
        int capacity = whole.capacity();
        // a long offset: an int one steps past Integer.MAX_VALUE for capacities above 2^31 - CHUNK
        for (long offset = 0; offset < capacity; offset += CHUNK) {
            whole.put((int) offset, pattern, 0, (int) Math.min(CHUNK, capacity - offset));
        }
    }

    /** A view of the whole capacity: absolute operations are bounded by the limit, which the holder may have lowered. */
    private static ByteBuffer wholeOf(ByteBuffer buffer) {
        return buffer.duplicate().clear();
    }

    /** @return the index of the first byte that is not the pattern's, or -1 if the whole buffer is */
    int firstDifference(ByteBuffer buffer) {
        ByteBuffer whole = wholeOf(buffer);
        int capacity = whole.capacity();
        for (long offset = 0; offset < capacity; offset += CHUNK) { // long: as in fill
            int length = (int) Math.min(CHUNK, capacity - offset);
            int mismatch = whole.slice((int) offset, length).mismatch(pattern.slice(0, length));
            if (mismatch >= 0) {
                return (int) offset + mismatch;
            }
        }
        return -1;
    }
}
