package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The lease that lets {@code trim()} take back an idle thread's cache, under real threads: some workers
 * work in bursts and sit idle while trims revoke their caches, then come back to a new cache; others
 * never stop, so trims race their calls. Every holder stamps its buffers (two holders of one buffer
 * would overwrite each other's stamp), and at the end the statistics are exact and every reserved byte
 * of the budget is accounted for: a revocation that released too much or too little would show.
 */
class CacheRevocationStressTest {

    private static final int BURSTY = 3;
    private static final int BUSY = 2;
    private static final int ROUNDS = 40;
    private static final int[] SIZES = {4096, 5000, 9000, 65536};

    @Test
    void idleCachesAreTakenBackWithoutEverHandingABufferToTwoHolders() throws Exception {
        AtomicLong now = new AtomicLong();
        long bound = 8L << 20;
        BufferPool pool = BufferPool.builder().ticker(now::get).idleTimeout(Duration.ofSeconds(60)).tlsCacheSize(4)
                .numShards(4).maxPooledBytes(bound).maxBufferSize(1 << 16).build();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        LongAdder gets = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();
        Phaser idle = new Phaser(BURSTY + 1); // the bursty workers and the trimmer

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < BURSTY; w++) {
            long seed = w;
            threads.add(new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int round = 0; round < ROUNDS && failures.isEmpty(); round++) {
                    burst(pool, random, 200 + random.nextInt(200), seed * 1_000_000 + round * 1000L, gets, failures);
                    idle.arriveAndAwaitAdvance(); // idle: the trimmer may take this cache back now
                    idle.arriveAndAwaitAdvance();
                }
                idle.arriveAndDeregister();
            }));
        }
        for (int b = 0; b < BUSY; b++) {
            long seed = 100 + b;
            threads.add(new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (long burst = 0; !done.get() && failures.isEmpty(); burst++) {
                    burst(pool, random, 50, (seed << 40) + burst * 1000, gets, failures);
                }
            }));
        }
        Thread trimmer = new Thread(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                idle.arriveAndAwaitAdvance();
                for (int t = 0; t < 3; t++) {
                    now.addAndGet(Duration.ofSeconds(61).toNanos());
                    pool.trim();
                    if (pool.stats().pooledBytes() > bound) {
                        failures.add(new AssertionError("pooled bytes above the bound"));
                    }
                }
                idle.arriveAndAwaitAdvance();
            }
            idle.arriveAndDeregister();
            done.set(true);
        });
        threads.forEach(Thread::start);
        trimmer.start();
        trimmer.join();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(failures).isEmpty();
        PoolStats stats = pool.stats(); // reclaims the ended workers' caches into the shards
        assertThat(stats.gets()).isEqualTo(gets.sum()).isEqualTo(stats.tlsHits() + stats.shardHits() + stats.misses());
        assertThat(stats.puts()).isEqualTo(gets.sum()).isEqualTo(stats.kept() + stats.dropped() + stats.rejected());
        assertThat(stats.rejected()).isZero();
        assertThat(stats.tlsHits()).isPositive();
        assertThat(pool.reservedBytes()).isGreaterThanOrEqualTo(stats.pooledBytes());
        // Everything idle now: two more trims past the timeout drop it all, and no byte stays reserved.
        for (int t = 0; t < 2; t++) {
            now.addAndGet(Duration.ofSeconds(61).toNanos());
            pool.trim();
        }
        assertThat(pool.stats().pooledBytes()).isZero();
        assertThat(pool.reservedBytes()).as("bytes still reserved with nothing pooled").isZero();
        pool.close();
    }

    /*
     * An ended thread's cache is reclaimed by whichever thread next sweeps the registry (a registration,
     * stats(), trim(), clear()), while a trim that listed it before the owner ended may be revoking it as
     * idle. Both empty it and give its reserved bytes back; done twice, the budget would let the pool hold
     * more than its bound. Raced head-on, round after round: the bytes must come back exactly once. And
     * each buffer too: a sweep that finds the cache already revoked takes what is left in it (what a
     * stalled put may store late), while the trim may still be emptying it; only the atomic take of each
     * slot keeps both from taking one buffer (with plain reads, this failed in two runs out of three).
     */
    @Test
    void aTrimAndASweepRacingForAnEndedThreadsCacheGiveItsBytesBackOnce() throws Exception {
        Thread ended = new Thread(() -> { });
        ended.start();
        ended.join();
        AtomicLong now = new AtomicLong();
        IdleClock clock = new IdleClock(now::get, 1);
        int rounds = 20_000;
        ThreadCache[] caches = new ThreadCache[rounds];
        ByteBudget[] budgets = new ByteBudget[rounds];
        int[] trims = new int[rounds];
        for (int round = 0; round < rounds; round++) {
            budgets[round] = new ByteBudget(1 << 20);
            int start = clock.stamp();
            caches[round] = new ThreadCache(ended, 0, 2, 1, start, 0, 1);
            // filled here, as its owner would have before it ended
            assertThat(caches[round].push(0, ByteBuffer.allocate(4096), budgets[round], start)).isTrue();
            assertThat(caches[round].push(0, ByteBuffer.allocate(4096), budgets[round], start)).isTrue();
            now.addAndGet(10);
            clock.advance();
            now.addAndGet(10);
            trims[round] = clock.advance();
        }
        CyclicBarrier together = new CyclicBarrier(2);
        int[] buffersBack = new int[rounds * 2];
        Thread trimmer = new Thread(() -> {
            for (int round = 0; round < rounds; round++) {
                await(together);
                buffersBack[2 * round] = caches[round].revokeIfIdle(clock, trims[round], budgets[round]).size();
            }
        });
        trimmer.start();
        for (int round = 0; round < rounds; round++) {
            await(together);
            buffersBack[2 * round + 1] = caches[round].takeBack(budgets[round]).size();
        }
        trimmer.join();
        for (int round = 0; round < rounds; round++) {
            assertThat(budgets[round].reserved()).as("bytes still reserved after round %d", round).isZero();
            assertThat(buffersBack[2 * round] + buffersBack[2 * round + 1]).as("buffers back in round %d", round)
                    .isEqualTo(2);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void burst(BufferPool pool, SplittableRandom random, int operations, long firstStamp,
                              LongAdder gets, ConcurrentLinkedQueue<Throwable> failures) {
        Holders.StampedHolder holder = new Holders.StampedHolder(firstStamp);
        try {
            for (int i = 0; i < operations; i++) {
                if (holder.takesNext(random)) {
                    holder.hold(pool.get(SIZES[random.nextInt(SIZES.length)]));
                    gets.increment();
                } else {
                    holder.returnOldest(pool);
                }
            }
            holder.returnAll(pool);
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
