package dev.zeropool.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what one cache line costs to move between two cores of this machine right now: the round
 * trip of a counter that two threads take turns incrementing, each spinning until the other's increment
 * arrives.
 *
 * <p>Why: on a shared virtual machine the physical cores behind the vCPUs, and so this cost, can change
 * from one second or minute to the next. On the project's 2-vCPU machine it was seen at about 40, 70 and
 * 500 ns, each for seconds to minutes, and a hand-off's throughput changed about threefold with it, for
 * ZeroPool and Jetty alike (see {@link HandOffInterleaved}). A reading is a snapshot: the next second may
 * differ. It needs two idle cores: run it while nothing else runs.
 *
 * <p>{@code java -cp zeropool-benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.CrossCoreProbe}
 * prints one line: {@code cross-core round trip: <n> ns}.
 */
public final class CrossCoreProbe {

    private CrossCoreProbe() {
    }

    /** Prints the round trip now: the median of 25 windows of 2 ms. */
    public static void main(String[] args) {
        System.out.println("cross-core round trip: " + roundTripNanos(25, 2_000_000L) + " ns");
    }

    /**
     * @param windows how many windows to measure (an odd number gives a true median)
     * @param windowNanos each window's length in nanoseconds (a millisecond or two is thousands of trips)
     * @return the median of the windows' mean round trips, in nanoseconds: a window in which another
     *     thread (the JIT's, the collector's) took one of the cores is an outlier, not the answer
     */
    static long roundTripNanos(int windows, long windowNanos) {
        AtomicLong turn = new AtomicLong(); // odd: the echo's turn; even: this thread's; negative: stop
        Thread echo = new Thread(() -> echo(turn), "cross-core-probe");
        echo.setDaemon(true);
        echo.start();
        long[] means = new long[windows];
        long trips = 0;
        for (int window = 0; window < windows; window++) {
            long start = System.nanoTime();
            long first = trips;
            long elapsed;
            do {
                for (int i = 0; i < 64; i++, trips++) {
                    long mine = 2 * trips;
                    turn.set(mine + 1);
                    while (turn.get() != mine + 2) {
                        Thread.onSpinWait();
                    }
                }
                elapsed = System.nanoTime() - start;
            } while (elapsed < windowNanos);
            means[window] = elapsed / (trips - first);
        }
        turn.set(-1);
        try {
            echo.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        java.util.Arrays.sort(means);
        return means[windows / 2];
    }

    /** The other end: answers each odd value with the next even one until told to stop. */
    private static void echo(AtomicLong turn) {
        for (long expected = 1; ; expected += 2) {
            long seen;
            while ((seen = turn.get()) != expected) {
                if (seen < 0) {
                    return;
                }
                Thread.onSpinWait();
            }
            turn.set(expected + 1);
        }
    }
}
