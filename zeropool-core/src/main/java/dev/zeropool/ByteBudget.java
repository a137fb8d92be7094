package dev.zeropool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool-wide bound on pooled bytes. A buffer's bytes are reserved before any part of the pool
 * keeps it and released when it leaves, so the bytes held never exceed the limit. Thread-safe.
 *
 * <p>Only slow paths touch it: shards and per-thread caches reserve in chunks and keep what they
 * reserved as credit (see {@link Shard}, {@link ThreadCache}), so neither hit path writes this shared
 * counter per operation. When a reservation fails, the pool first asks the shards to give their spare
 * credit back (the {@code reclaimer}), and leak detection its idle spares, and tries once more, so neither
 * makes a put drop a buffer that the bytes really held leave room for.
 */
final class ByteBudget {

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();
    private volatile Runnable reclaimer = () -> { };

    ByteBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Adds to what a failed reservation runs before its one retry (after what was added before): it must
     * only release, never reserve. Called while the pool is built.
     */
    void reclaimer(Runnable releaseSpare) {
        Runnable before = this.reclaimer;
        this.reclaimer = () -> {
            before.run();
            releaseSpare.run();
        };
    }

    boolean tryReserve(long bytes) {
        if (tryReserveNow(bytes)) {
            return true;
        }
        reclaimer.run();
        return tryReserveNow(bytes);
    }

    /**
     * Reserves bytes to keep as spare credit: only while a quarter of the limit stays free after it, so
     * that spare reservations never stand in the way of bytes that are really held.
     */
    boolean tryReserveSpare(long bytes) {
        return tryReserveWithin(bytes, limit - limit / 4);
    }

    /** Reserves if the bytes fit now, without asking anyone to give room back first. */
    boolean tryReserveNow(long bytes) {
        return tryReserveWithin(bytes, limit);
    }

    private boolean tryReserveWithin(long bytes, long bound) {
        long current;
        do {
            current = reserved.get();
            if (bytes > bound - current) {
                return false;
            }
        } while (!reserved.compareAndSet(current, current + bytes));
        return true;
    }

    void release(long bytes) {
        if (bytes != 0) {
            reserved.addAndGet(-bytes);
        }
    }

    /** @return bytes not reserved now (a racy snapshot) */
    long available() {
        return limit - reserved.get();
    }

    long reserved() {
        return reserved.get();
    }

    long limit() {
        return limit;
    }
}
