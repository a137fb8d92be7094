package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The long stress run: mixed sizes, long- and short-lived threads, trims and finally a close racing the
 * workers, under STRICT validation (which would throw on any double hand-out, write after put or
 * double put) and with each holder stamping its buffers. Bounded by operation counts, not by time.
 */
class HardeningStressTest {

    private static final int ROUNDS = 3;
    private static final int WORKERS = 3;
    private static final int OPERATIONS = 40_000;
    private static final int[] SIZES = {1, 4096, 5000, 12_000, 40_000, 65_536, 70_000};

    @Test
    void strictValidationStaysSilentAndEveryBufferIsAccountedForThroughTrimAndClose() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            runRound(round);
        }
    }

    private void runRound(int round) throws Exception {
        AtomicLong clock = new AtomicLong();
        BufferPool pool = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.ALL)
                .ticker(clock::get).idleTimeout(Duration.ofMillis(1)).tlsCacheSize(2).numShards(2)
                .maxBuffersPerShard(6).maxPooledBytes(512 * 1024).maxBufferSize(65_536).build();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch workersDone = new CountDownLatch(WORKERS);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            long seed = round * 100L + w;
            threads.add(new Thread(() -> {
                work(pool, seed, OPERATIONS, start, failures);
                workersDone.countDown();
            }));
        }
        threads.add(new Thread(() -> {
            for (int t = 0; t < 400; t++) {
                long seed = round * 100_000L + t;
                Thread shortLived = new Thread(() -> work(pool, seed, 40, start, failures));
                shortLived.start();
                Holders.join(shortLived, failures);
            }
        }));
        threads.add(new Thread(() -> {
            Holders.await(start, failures);
            for (int t = 0; workersDone.getCount() > 0; t++) {
                clock.addAndGet(Duration.ofMillis(1).toNanos());
                pool.trim();
                PoolStats stats = pool.stats();
                if (stats.pooledBytes() > pool.config().maxPooledBytes()) {
                    failures.add(new AssertionError("over the bound: " + stats));
                }
            }
            pool.close(); // while short-lived threads still run: they must see a clean IllegalStateException
        }));
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        PoolStats stats = pool.stats();
        assertThat(stats.rejected()).isZero();
        assertThat(stats.pooledBuffers()).isZero();
        assertThat(stats.gets()).isEqualTo(stats.tlsHits() + stats.shardHits() + stats.misses());
        assertThat(stats.leaks()).isZero();
    }

    private static void work(BufferPool pool, long seed, int operations, CountDownLatch start,
                             ConcurrentLinkedQueue<Throwable> failures) {
        Holders.await(start, failures);
        SplittableRandom random = new SplittableRandom(seed);
        Holders.StampedHolder holder = new Holders.StampedHolder(seed << 32);
        try {
            for (int i = 0; i < operations; i++) {
                if (holder.takesNext(random)) {
                    ByteBuffer buffer;
                    try {
                        buffer = pool.get(SIZES[random.nextInt(SIZES.length)]);
                    } catch (IllegalStateException closed) {
                        if (!pool.isClosed()) {
                            throw closed;
                        }
                        break;
                    }
                    holder.hold(buffer);
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
