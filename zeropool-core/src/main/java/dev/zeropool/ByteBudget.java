package dev.zeropool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool-wide bound on pooled bytes. A buffer's bytes are reserved before any part of the pool
 * keeps it and released when it leaves, so the bytes held never exceed the limit. Thread-safe.
 *
 * <p>Only slow paths touch it: shards reserve per buffer, per-thread caches reserve in bulk and keep
 * what they reserved as credit (see {@link ThreadCache}), so the per-thread hit path never does.
 */
final class ByteBudget {

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    ByteBudget(long limit) {
        this.limit = limit;
    }

    boolean tryReserve(long bytes) {
        long current;
        do {
            current = reserved.get();
            if (bytes > limit - current) {
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
