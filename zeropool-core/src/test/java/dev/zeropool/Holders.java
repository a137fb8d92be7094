package dev.zeropool;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * What the concurrent tests' buffer holders share: stamping a buffer with the holder's identity and
 * checking the stamp before giving it back (two holders of one buffer would overwrite each other's
 * stamp), and waiting without losing an interruption as a failure.
 */
final class Holders {

    private Holders() {
    }

    /**
     * The memory that stands for a buffer handed out across its put and a later get: the buffer itself,
     * or, for a leak-sampled get's view (whose memory is a spare), the pool buffer behind it, which the
     * view's put returns. Its position and limit are cleared; read and write it by absolute index.
     */
    static ByteBuffer memoryOf(BufferPool pool, ByteBuffer handedOut) {
        ByteBuffer behindView = pool.originalOfSampled(handedOut);
        return behindView == null ? handedOut : behindView.duplicate().clear();
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

    /**
     * One thread's holder: keeps up to three buffers at a time, stamps each with a number of its own, and
     * checks the stamp before giving it back, oldest first. Not thread-safe: one per thread.
     */
    static final class StampedHolder {
        private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
        private final ArrayDeque<Long> stamps = new ArrayDeque<>();
        private long stamp;

        StampedHolder(long firstStamp) {
            this.stamp = firstStamp;
        }

        /** Whether the next step takes a buffer (rather than returning one): random, at most three held. */
        boolean takesNext(SplittableRandom random) {
            return held.size() < 3 && (held.isEmpty() || random.nextBoolean());
        }

        void hold(ByteBuffer buffer) {
            stamp(buffer, ++stamp);
            held.addLast(buffer);
            stamps.addLast(stamp);
        }

        /** @throws AssertionError if the oldest buffer's stamp was overwritten while this holder had it */
        void returnOldest(BufferPool pool) {
            ByteBuffer buffer = held.pollFirst();
            checkStamp(buffer, stamps.pollFirst());
            pool.put(buffer);
        }

        void returnAll(BufferPool pool) {
            while (!held.isEmpty()) {
                returnOldest(pool);
            }
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
