package dev.zeropool.benchmarks;

import dev.zeropool.BufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether two threads that each use their own shard slow each other down: the probe that found the shard
 * lock word outside its padding (fixed in {@code 1a4f03e}). Not a JMH benchmark, because what it looks for
 * depends on where the JVM put the pool's objects, which changes with every pool: JMH's forks of
 * {@code ThroughputTwoThreadsBenchmark.zeroPoolWithoutCaches} all came out alike, before the fix and after
 * it, while this probe, building a fresh pool per round in one JVM, found the slow layouts in most rounds.
 *
 * <p>Each round builds a pool with thread caches off ({@code tlsCacheSize(0)}, every call on the thread's
 * home shard, as a virtual thread's), runs a full collection (which moves the pool's objects, as a
 * service's pool is moved while it runs), starts two platform threads homed on neighbouring shards
 * (consecutive thread ids), lets them take and return a 64 KiB buffer for a second, then measures them for
 * a second. It prints the round's pairs per microsecond and the hits of each shard that served any, so a
 * round whose threads did not stay on their homes shows. Two idle cores needed; compare with one thread
 * alone ({@code ThroughputOneThreadBenchmark.zeroPoolWithoutCaches}).
 *
 * <p>{@code java -cp zeropool-benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.ShardNeighboursProbe [rounds]}
 * (8 by default). Measured 2026-11-28 on 2 cores, JDK 25, four JVMs of 8 rounds each for each build,
 * taking turns: with the core of {@code 5d9f0a4} (before the fix) a median of 26.1 pairs/us, 16 of 32
 * rounds under 25 (about what one thread makes alone), 6.2 at worst; with that of {@code 314a621} (the
 * fix, and the shard's arrays padded) a median of 40.7, 1 round of 32 under 25. On JDK 17 (two JVMs each):
 * 28.5 before, 6 of 16 rounds under 25; 44.6 after, 1 of 16.
 */
public final class ShardNeighboursProbe {

    private static final int SIZE = 64 * 1024;

    private ShardNeighboursProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        for (int round = 1; round <= rounds; round++) {
            BufferPool pool = BufferPool.builder().tlsCacheSize(0).build();
            System.gc();
            double pairsPerMicro = twoThreads(pool);
            List<String> served = new ArrayList<>();
            pool.stats().shards().stream().filter(s -> s.hits() > 0).forEach(s -> served.add(s.index() + ":" + s.hits()));
            System.out.printf("round %d: %.1f pairs/us; shard:hits %s%n", round, pairsPerMicro, served);
            pool.close();
        }
    }

    /** Two threads with consecutive ids, so with neighbouring home shards. @return pairs per microsecond */
    private static double twoThreads(BufferPool pool) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder pairs = new LongAdder();
        CyclicBarrier start = new CyclicBarrier(3);
        Runnable work = () -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            while (!stop.get()) {
                for (int i = 0; i < 1024; i++) {
                    ByteBuffer buffer = pool.get(SIZE);
                    buffer.put(0, (byte) 1).put(SIZE - 1, (byte) 1);
                    pool.put(buffer);
                }
                pairs.add(1024);
            }
        };
        Thread first = new Thread(work, "neighbour-1");
        Thread second = new Thread(work, "neighbour-2");
        first.start();
        second.start();
        start.await();
        Thread.sleep(1000); // warm-up: the JIT, and each thread's first miss
        long before = pairs.sum();
        long from = System.nanoTime();
        Thread.sleep(1000);
        long measured = pairs.sum() - before;
        long elapsed = System.nanoTime() - from;
        stop.set(true);
        first.join();
        second.join();
        return measured * 1000.0 / elapsed;
    }
}
