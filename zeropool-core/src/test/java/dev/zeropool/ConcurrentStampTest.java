package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads, long-lived and short-lived, take buffers, stamp them with their own identity, hold a
 * few at a time, and check the stamp is intact before giving each back. Two holders of one buffer would
 * overwrite each other's stamp. A reader takes statistics all along and checks the memory bound.
 */
class ConcurrentStampTest {

    private static final int WORKERS = 4;
    private static final int OPERATIONS_PER_WORKER = 60_000;
    private static final int SHORT_LIVED_THREADS = 200;
    private static final int[] SIZES = {100, 4096, 5000, 6144, 9000, 16384, 65536, 100_000};

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void noBufferIsEverHandedToTwoHoldersAndTheBoundHolds(EvictionPolicy policy) throws Exception {
        long bound = 1 << 20;
        BufferPool pool = BufferPool.builder().tlsCacheSize(2).numShards(2).maxBuffersPerShard(8)
                .maxPooledBytes(bound).maxBufferSize(1 << 16).evictionPolicy(policy).build();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        LongAdder gets = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            long seed = w;
            threads.add(new Thread(() -> run(pool, seed, OPERATIONS_PER_WORKER, start, gets, failures)));
        }
        threads.add(new Thread(() -> {
            for (int t = 0; t < SHORT_LIVED_THREADS; t++) {
                long seed = 1000 + t;
                Thread shortLived = new Thread(() -> run(pool, seed, 50, start, gets, failures));
                shortLived.start();
                Holders.join(shortLived, failures);
            }
        }));
        Thread reader = new Thread(() -> {
            Holders.await(start, failures);
            while (!done.get()) {
                PoolStats stats = pool.stats();
                if (stats.pooledBytes() > bound) {
                    failures.add(new AssertionError("pooled " + stats.pooledBytes() + " > bound " + bound));
                }
                for (ShardStats shard : stats.shards()) {
                    if (shard.buffers() > shard.capacity()) {
                        failures.add(new AssertionError("shard over capacity: " + shard));
                    }
                }
            }
        });
        threads.forEach(Thread::start);
        reader.start();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        done.set(true);
        reader.join();

        assertThat(failures).isEmpty();
        PoolStats stats = pool.stats();
        assertThat(stats.gets()).isEqualTo(gets.sum());
        assertThat(stats.puts()).isEqualTo(gets.sum());
        assertThat(stats.rejected()).isZero();
        assertThat(stats.pooledBytes()).isLessThanOrEqualTo(bound);
        assertThat(stats.hitRate()).isGreaterThan(0.5); // reuse really happened, so sharing was possible
        pool.close();
        assertThat(pool.stats().pooledBuffers()).isZero();
    }

    private static void run(BufferPool pool, long seed, int operations, CountDownLatch start, LongAdder gets,
                            ConcurrentLinkedQueue<Throwable> failures) {
        Holders.await(start, failures);
        SplittableRandom random = new SplittableRandom(seed);
        Holders.StampedHolder holder = new Holders.StampedHolder(seed << 32);
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
