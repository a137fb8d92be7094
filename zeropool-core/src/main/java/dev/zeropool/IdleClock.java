package dev.zeropool;

import java.util.function.LongSupplier;

/**
 * Tells how long a pooled buffer has been idle without reading the time on the hit path. Buffers are
 * stamped with the number of {@code trim()}s so far, modulo 2^30 (one volatile read); each trim records
 * when it ran.
 * A buffer stamped {@code s} was returned after trim {@code s}, so at trim {@code c} it has been idle at
 * least {@code time(c) - time(s + 1)}: never dropped early, at worst one trim interval late.
 *
 * <p>Thread-safe: {@link #advance()} writes the time of the new trim and then publishes it with the
 * volatile write of the sequence number; readers read the sequence number first.
 */
final class IdleClock {

    private static final int REMEMBERED_TRIMS = 64; // older stamps are bounded by the oldest time kept
    /**
     * Trims are numbered modulo 2^30, so a stamp is never negative: never {@link #CLOSED}, and never one of
     * the negative lease markers of {@link ThreadCache}. Without it, the 2^31st trim (25 days of trims
     * every millisecond) would have made the pool read as closed.
     */
    static final int TRIM_MASK = (1 << 30) - 1;
    /** Two stamps further apart than this read as the later one first: stamps compare within 2^29 trims. */
    private static final int HALF = 1 << 29;

    private final LongSupplier ticker;
    private final long timeoutNanos;
    private final long[] trimTimes = new long[REMEMBERED_TRIMS];
    private volatile int sequence;

    IdleClock(LongSupplier ticker, long timeoutNanos) {
        this(ticker, timeoutNanos, 0);
    }

    /** For tests: a clock whose trims start at {@code firstTrim}, in {@code [0, TRIM_MASK]}. */
    IdleClock(LongSupplier ticker, long timeoutNanos, int firstTrim) {
        this.ticker = ticker;
        this.timeoutNanos = timeoutNanos;
        this.sequence = firstTrim;
        trimTimes[firstTrim & (REMEMBERED_TRIMS - 1)] = ticker.getAsLong();
    }

    /** Trims from stamp {@code from} to stamp {@code to}, counted modulo 2^30 (negative-free). */
    static int trimsBetween(int from, int to) {
        return (to - from) & TRIM_MASK;
    }

    /** The stamp of a closed pool: negative, so one volatile read tells "closed" and "current stamp" apart. */
    static final int CLOSED = Integer.MIN_VALUE;

    /** @return the current stamp: the number of trims so far, or {@link #CLOSED} */
    int stamp() {
        return sequence;
    }

    /** Marks the pool closed: from now on {@link #stamp()} is {@link #CLOSED}. */
    synchronized void close() {
        sequence = CLOSED;
    }

    /** Starts a trim: records its time. @return its sequence number, for {@link #expired} */
    synchronized int advance() {
        if (sequence == CLOSED) {
            return CLOSED;
        }
        int next = (sequence + 1) & TRIM_MASK;
        trimTimes[next & (REMEMBERED_TRIMS - 1)] = ticker.getAsLong();
        sequence = next;
        return next;
    }

    /**
     * Whether the timeout has passed between trim {@code since} and trim {@code trim}: for a thread whose
     * last call saw trim {@code since}, this means it has not called the pool for at least the timeout
     * less one trim interval, and (counting from trim {@code since}) at most the timeout plus one.
     */
    boolean idleSince(int since, int trim) {
        if (trimsBetween(since, trim) >= REMEMBERED_TRIMS - 1) {
            since = trim - (REMEMBERED_TRIMS - 1); // only its low bits index trimTimes
        }
        return trimTimes[trim & (REMEMBERED_TRIMS - 1)] - trimTimes[since & (REMEMBERED_TRIMS - 1)] >= timeoutNanos;
    }

    /** Whether a buffer stamped {@code stamp} has been idle for the timeout at trim {@code trim}. */
    boolean expired(int stamp, int trim) {
        int returnedBefore = stamp + 1;
        int elapsed = trimsBetween(returnedBefore, trim);
        if (elapsed >= HALF) {
            return false; // returned after the previous trim: no lower bound on its idle time yet
        }
        if (elapsed >= REMEMBERED_TRIMS - 1) {
            returnedBefore = trim - (REMEMBERED_TRIMS - 1); // only its low bits index trimTimes
        }
        long idleAtLeast = trimTimes[trim & (REMEMBERED_TRIMS - 1)]
                - trimTimes[returnedBefore & (REMEMBERED_TRIMS - 1)];
        return idleAtLeast >= timeoutNanos;
    }
}
