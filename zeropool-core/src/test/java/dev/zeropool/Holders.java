package dev.zeropool;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;

/**
 * What the concurrent tests' buffer holders share: stamping a buffer with the holder's identity and
 * checking the stamp before giving it back (two holders of one buffer would overwrite each other's
 * stamp), and waiting without losing an interruption as a failure.
 */
final class Holders {

    private Holders() {
    }

    /** Writes the stamp at the start, the middle and the end of the buffer's limit (if 8 bytes fit). */
    static void stamp(ByteBuffer buffer, long stamp) {
        int last = buffer.limit() - 8;
        if (last < 0) {
            return; // too small to stamp; still checked by the pool's own validation
        }
        buffer.putLong(0, stamp);
        buffer.putLong(last / 2, stamp);
        buffer.putLong(last, stamp);
    }

    /** @throws AssertionError if any of the three stamps was overwritten */
    static void checkStamp(ByteBuffer buffer, long stamp) {
        int last = buffer.limit() - 8;
        if (last >= 0 && (buffer.getLong(0) != stamp || buffer.getLong(last / 2) != stamp
                || buffer.getLong(last) != stamp)) {
            throw new AssertionError("stamp " + stamp + " overwritten: the buffer had two holders");
        }
    }

    static void await(CountDownLatch latch, Queue<Throwable> failures) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            failures.add(e);
        }
    }

    static void join(Thread thread, Queue<Throwable> failures) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            failures.add(e);
        }
    }
}
