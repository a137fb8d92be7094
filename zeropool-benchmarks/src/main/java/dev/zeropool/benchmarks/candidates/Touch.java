package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;

/**
 * The work every benchmark does with a buffer it holds: one byte written at each end. It makes each
 * candidate hand out real, writable memory of the requested size (a lazily mapped or too-small buffer
 * would fault or throw), and it keeps the JIT from discarding the buffer, at the same cost for all.
 */
final class Touch {

    private Touch() {
    }

    static void ends(ByteBuffer buffer, int size) {
        buffer.put(0, (byte) 1);
        buffer.put(size - 1, (byte) 2);
    }
}
