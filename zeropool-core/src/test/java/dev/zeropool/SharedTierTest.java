package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared tier is where buffers meet across threads. Its promises, with default settings: the byte
 * budget is the bound, so a {@code put} finds a place while the budget has room; a {@code get} does not
 * allocate while an idle buffer of its class sits in the tier, whichever thread put it there; and no
 * buffer is ever handed to two holders. Every scenario ends by checking that the statistics add up
 * exactly: each get and put counted once, and, with nothing held and nothing trimmed, every buffer the
 * pool kept is either still pooled, handed out again, or evicted.
 */
class SharedTierTest {

    private static final int KIB = 1024;

    // ---- 1. Nothing is dropped while the byte budget has room ----------------------------------------

    /**
     * Rule 2's race, narrowed: a get that has passed shard 1 (empty) and waits for shard 2 must still find
     * the batch another get's steal moves from shard 2 into shard 1 meanwhile, instead of allocating while
     * those buffers sit idle there.
     */
    @Test
    void aGetFindsTheBatchAnotherGetsStealMovedIntoAShardItHadPassed() throws Exception {
        PoolConfig config = BufferPool.builder().numShards(4).maxPooledBytes(64L << 20).toConfig();
        SizeClasses classes = new SizeClasses(config.minBufferSize(), config.maxBufferSize());
        SharedTier tier = new SharedTier(config, classes, new ByteBudget(config.maxPooledBytes()), b -> { });
        int sizeClass = classes.indexFor(4 * KIB);
        for (int i = 0; i < 3; i++) {
            assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4 * KIB), 2, 0, true)).isTrue();
        }
        Shard one = tier.shard(1);
        Shard two = tier.shard(2);
        AtomicReference<ByteBuffer> taken = new AtomicReference<>();
        two.lock(); // busy: the get homed on shard 0 passes shard 1 (empty), then waits for shard 2
        Thread getter = new Thread(() -> taken.set(tier.take(sizeClass, 0, 0)));
        try {
            getter.start();
            while (two.waiting() == 0 && getter.isAlive()) {
                Thread.onSpinWait();
            }
            assertThat(getter.isAlive()).as("the get waits for shard 2").isTrue();
            one.lock(); // another get, homed on shard 1, steals from shard 2 under both locks
            try {
                assertThat(two.stealLocked(sizeClass, one, 0)).isNotNull();
            } finally {
                one.unlock();
            }
        } finally {
            two.unlock();
        }
        getter.join();
        assertThat(taken.get()).as("served from the moved batch, not left to allocate").isNotNull();
        int left = 0;
        for (int i = 0; i < 4; i++) {
            left += tier.shard(i).stats().buffers();
        }
        assertThat(left).as("three buffers, one taken by each get").isEqualTo(1);
    }

    /**
     * clear() (and the drop on direct-memory pressure) empties every shard: a steal racing it must not move
     * a batch from a shard not yet emptied into one already emptied, where it would stay.
     */
    @Test
    void drainingTheTierLeavesNothingBehindAStealRacingIt() throws Exception {
        PoolConfig config = BufferPool.builder().numShards(4).maxPooledBytes(64L << 20).toConfig();
        SizeClasses classes = new SizeClasses(config.minBufferSize(), config.maxBufferSize());
        ByteBudget budget = new ByteBudget(config.maxPooledBytes());
        SharedTier tier = new SharedTier(config, classes, budget, b -> { });
        int sizeClass = classes.indexFor(4 * KIB);
        for (int i = 0; i < 3; i++) {
            assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4 * KIB), 2, 0, true)).isTrue();
        }
        Shard one = tier.shard(1);
        Shard two = tier.shard(2);
        two.lock(); // the drain gets as far as shard 2 and waits there
        Thread drainer = new Thread(() -> tier.drain(b -> { }));
        try {
            drainer.start();
            while (two.waiting() == 0 && drainer.isAlive()) {
                Thread.onSpinWait();
            }
            if (one.tryLock()) { // a get homed on shard 1 steals from shard 2, if the drain lets it
                try {
                    two.stealLocked(sizeClass, one, 0);
                } finally {
                    one.unlock();
                }
            }
        } finally {
            two.unlock();
        }
        drainer.join();
        for (int i = 0; i < 4; i++) {
            assertThat(tier.shard(i).stats().buffers()).as("buffers left in shard %d", i).isZero();
        }
    }

    @Test
    void aBatchLargerThanAnyPerShardCountIsKeptWholeAndReusedWhole() {
        try (BufferPool pool = new BufferPool()) {
            int count = 1000;
            assertThat(pool.config().maxPooledBytes())
                    .as("precondition: the default budget has room for the batch")
                    .isGreaterThanOrEqualTo(2L * count * 4 * KIB);

            // Each buffer of the first batch carries its number (1 to 1000) in its memory; fresh ones read 0.
            List<ByteBuffer> first = takeDistinct(pool, count, 4 * KIB);
            for (int i = 0; i < count; i++) {
                number(pool, first.get(i), i + 1);
            }
            first.forEach(pool::put);
            PoolStats returned = pool.stats();
            assertThat(returned.dropped()).as("dropped after returning %d buffers", count).isZero();
            assertThat(returned.pooledBuffers()).isEqualTo(count);

            List<ByteBuffer> second = takeDistinct(pool, count, 4 * KIB);
            PoolStats retaken = pool.stats();
            assertThat(retaken.misses() - returned.misses()).as("new misses on the second batch").isZero();
            Set<Long> numbers = new HashSet<>();
            for (ByteBuffer buffer : second) {
                numbers.add(Holders.memoryOf(pool, buffer).getLong(8));
            }
            assertThat(numbers).as("numbers read from the second batch: the first batch, each once")
                    .hasSize(count).allMatch(n -> n >= 1 && n <= count);
            second.forEach(pool::put);

            PoolStats end = pool.stats();
            assertThat(end.dropped()).isZero();
            assertThat(end.pooledBuffers()).isEqualTo(count);
            assertExact(end, 2L * count, 2L * count);
            assertConserved(end);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void anExplicitMaxBuffersPerShardStillBoundsTheShard(EvictionPolicy policy) {
        try (BufferPool pool = BufferPool.builder().numShards(1).maxBuffersPerShard(8).tlsCacheSize(0)
                .evictionPolicy(policy).build()) {
            takeDistinct(pool, 20, 4 * KIB).forEach(pool::put);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isBetween(1L, 8L);
            assertThat(stats.dropped() + stats.evictions()).as("dropped + evicted").isGreaterThanOrEqualTo(12);
            assertExact(stats, 20, 20);
        }
    }

    // ---- 2. Nothing idle is missed -------------------------------------------------------------------

    enum Returner {
        /** tlsCacheSize(0); the thread that returned the buffers stays alive, blocked, never calling again. */
        STAYS_IDLE(0, false),
        /** tlsCacheSize(0); the thread that returned the buffers has ended. */
        ENDS(0, true),
        /** Default thread caches; each thread ends before the next one starts (its cache is reclaimed). */
        ENDS_WITH_DEFAULT_CACHE(-1, true);

        final int tlsCacheSize;
        final boolean ends;

        Returner(int tlsCacheSize, boolean ends) {
            this.tlsCacheSize = tlsCacheSize;
            this.ends = ends;
        }
    }

    @ParameterizedTest
    @EnumSource(Returner.class)
    void buffersReturnedByOneThreadServeEveryOtherThreadWithoutAMiss(Returner returner) throws Exception {
        BufferPool.Builder builder = BufferPool.builder().numShards(8);
        if (returner.tlsCacheSize >= 0) {
            builder.tlsCacheSize(returner.tlsCacheSize);
        }
        int count = 100;
        int size = 16 * KIB;
        try (BufferPool pool = builder.build()) {
            CountDownLatch returned = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread a = new Thread(() -> {
                try {
                    takeDistinct(pool, count, size).forEach(pool::put);
                } catch (Throwable t) {
                    failures.add(t);
                }
                returned.countDown();
                if (!returner.ends) {
                    Holders.await(release, failures); // alive and idle: it never calls the pool again
                }
            }, "returner");
            a.start();
            PoolStats afterA;
            PoolStats end;
            int takers = 8;
            try {
                returned.await();
                if (returner.ends) {
                    a.join();
                }
                afterA = pool.stats(); // also reclaims the caches of threads that have ended
                assertThat(failures).isEmpty();
                assertThat(afterA.dropped()).isZero();
                assertThat(afterA.pooledBuffers()).isEqualTo(count);

                // Nine threads in all (A and these eight), eight shards: some surely have another home shard.
                for (int t = 0; t < takers; t++) {
                    runOnNewThread("taker-" + t, () -> takeDistinct(pool, count, size).forEach(pool::put));
                    pool.stats(); // reclaims the ended taker's cache, if it had one
                }
                end = pool.stats();
            } finally {
                release.countDown();
                a.join();
            }
            assertThat(failures).isEmpty();
            assertThat(end.misses() - afterA.misses()).as("misses of %d threads taking %d buffers each, after "
                    + "another thread returned %d", takers, count, count).isZero();
            assertThat(end.dropped()).isZero();
            assertThat(end.pooledBuffers()).isEqualTo(count);
            assertExact(end, (1L + takers) * count, (1L + takers) * count);
            assertConserved(end);
        }
    }

    // ---- 3. Hand-off between threads ------------------------------------------------------------------

    @Test
    void oneProducerHandingBuffersToOneConsumerReusesThemWithoutDropping() throws Exception {
        handOff(1, 200_000, 10_000);
    }

    @Test
    void twoProducersHandingBuffersToTwoConsumersReuseThemWithoutDropping() throws Exception {
        handOff(2, 100_000, 5_000);
    }

    /** What a failed producer sends its consumer instead of the remaining items. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    /**
     * Each producer takes 64 KiB buffers and passes them through its own 64-slot queue to its consumer,
     * which puts them. After a warm-up (all threads paused at a known point), the remaining gets must hit
     * with a rate of at least 0.999 and nothing may be dropped; no buffer may ever be handed out while it
     * is in flight (taken and not yet put).
     */
    private static void handOff(int pairs, int itemsPerPair, int warmUpPerPair) throws Exception {
        int size = 64 * KIB;
        try (BufferPool pool = new BufferPool()) {
            Set<ByteBuffer> inFlight = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch warmedUp = new CountDownLatch(pairs);
            CountDownLatch measure = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                long pair = p;
                BlockingQueue<ByteBuffer> queue = new ArrayBlockingQueue<>(64);
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < itemsPerPair; i++) {
                            if (i == warmUpPerPair) {
                                Holders.await(measure, failures);
                            }
                            ByteBuffer buffer = pool.get(size);
                            if (!inFlight.add(buffer)) {
                                failures.add(new AssertionError("item " + i + " of producer " + pair
                                        + ": get handed out a buffer that is in flight"));
                            }
                            Holders.stamp(buffer, pair << 32 | i);
                            queue.put(buffer);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                        queue.clear();
                        queue.offer(END); // so the consumer does not wait for items that never come
                    }
                }, "producer-" + p));
                threads.add(new Thread(() -> {
                    int consumed = 0;
                    try {
                        for (; consumed < itemsPerPair; consumed++) {
                            ByteBuffer buffer = queue.take();
                            if (buffer == END) {
                                return;
                            }
                            try {
                                Holders.checkStamp(buffer, pair << 32 | consumed);
                                inFlight.remove(buffer);
                                pool.put(buffer);
                            } catch (Throwable t) {
                                failures.add(t);
                            }
                            if (consumed == warmUpPerPair - 1) {
                                warmedUp.countDown();
                            }
                        }
                    } catch (InterruptedException e) {
                        failures.add(e);
                    } finally {
                        if (consumed < warmUpPerPair) {
                            warmedUp.countDown(); // stopped early: do not leave the test waiting
                        }
                    }
                }, "consumer-" + p));
            }
            threads.forEach(Thread::start);
            warmedUp.await(); // producers wait at `measure`, consumers have put every warm-up item
            PoolStats warm = pool.stats();
            measure.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            PoolStats end = pool.stats();

            assertThat(failures).isEmpty();
            assertThat(inFlight).isEmpty();
            long gets = end.gets() - warm.gets();
            long misses = end.misses() - warm.misses();
            assertThat(gets).isEqualTo((long) pairs * (itemsPerPair - warmUpPerPair));
            assertThat((double) (gets - misses) / gets).as("hit rate after warm-up (%d misses in %d gets)",
                    misses, gets).isGreaterThanOrEqualTo(0.999);
            assertThat(end.dropped() - warm.dropped()).as("dropped after warm-up").isZero();
            assertThat(end.pooledBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
            assertExact(end, (long) pairs * itemsPerPair, (long) pairs * itemsPerPair);
            assertConserved(end);
        }
    }

    // ---- 4. A thread pool whose every task runs on a fresh worker --------------------------------------

    private static final int BUFFERS_PER_TASK = 148;
    private static final int[] TASK_SIZES = taskSizes();

    /** 148 sizes from 3 KiB to 384 KiB, evenly spaced and in a deterministic scrambled order. */
    private static int[] taskSizes() {
        int min = 3 * KIB;
        int max = 384 * KIB;
        int[] sizes = new int[BUFFERS_PER_TASK];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = min + (i * 7919 % BUFFERS_PER_TASK) * (max - min) / (BUFFERS_PER_TASK - 1);
        }
        return sizes;
    }

    @Test
    void freshWorkersOfAThreadPoolReuseWhatEarlierNowIdleWorkersReturned() throws Exception {
        int tasks = 40;
        ThreadPoolExecutor executor = new ThreadPoolExecutor(200, 200, 1, TimeUnit.HOURS, new LinkedBlockingQueue<>());
        Set<Thread> workers = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        try (BufferPool pool = new BufferPool()) {
            long taskBytes = 0;
            for (int size : TASK_SIZES) {
                taskBytes += size;
            }
            assertThat(pool.config().maxPooledBytes())
                    .as("precondition: the default budget has room for a few tasks' buffers")
                    .isGreaterThanOrEqualTo(4 * taskBytes);

            Map<Integer, Double> lowHitRates = new LinkedHashMap<>();
            for (int t = 0; t < tasks; t++) {
                PoolStats before = pool.stats();
                Future<?> task = executor.submit(() -> {
                    workers.add(Thread.currentThread());
                    List<ByteBuffer> held = new ArrayList<>(BUFFERS_PER_TASK);
                    for (int size : TASK_SIZES) {
                        held.add(pool.get(size));
                    }
                    assertThat(identitySet(held)).hasSize(BUFFERS_PER_TASK);
                    assertNoSharedMemory(held);
                    held.forEach(pool::put);
                });
                task.get(); // one task at a time: the pool starts a fresh worker, earlier ones stay idle
                PoolStats after = pool.stats();
                long gets = after.gets() - before.gets();
                assertThat(gets).isEqualTo(BUFFERS_PER_TASK);
                double hitRate = (double) (gets - (after.misses() - before.misses())) / gets;
                if (t >= 3 && hitRate < 0.95) {
                    lowHitRates.put(t + 1, hitRate);
                }
            }
            assertThat(workers).as("each task ran on a fresh worker").hasSize(tasks);
            assertThat(executor.getPoolSize()).as("earlier workers stay alive").isEqualTo(tasks);
            assertThat(lowHitRates).as("tasks (numbered from 1) whose hit rate was below 0.95").isEmpty();

            PoolStats end = pool.stats();
            assertThat(end.pooledBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
            assertExact(end, (long) tasks * BUFFERS_PER_TASK, (long) tasks * BUFFERS_PER_TASK);
            assertConserved(end);
        } finally {
            executor.shutdown();
            for (Thread worker : workers) {
                worker.join();
            }
        }
    }

    // ---- 5. Virtual threads -------------------------------------------------------------------------

    @Test
    void virtualThreadsShareTheTierWithoutCachesOfTheirOwn() throws Throwable {
        assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21+, this is " + Runtime.version() + ": skipped (it runs on JDK 25 in CI)");
        int threads = 64;
        int pairs = 2000;
        int size = 64 * KIB;
        try (BufferPool pool = new BufferPool()) {
            Set<ByteBuffer> inFlight = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> virtualThreads = new ArrayList<>();
            for (int v = 0; v < threads; v++) {
                long id = v;
                virtualThreads.add(unstartedVirtualThread(() -> {
                    try {
                        for (int i = 0; i < pairs; i++) {
                            ByteBuffer buffer = pool.get(size);
                            if (!inFlight.add(buffer)) {
                                failures.add(new AssertionError("get handed out a buffer that is in flight"));
                            }
                            long stamp = id << 32 | i;
                            Holders.stamp(buffer, stamp);
                            if (i % 64 == 63) {
                                Thread.yield(); // let other virtual threads run while this one holds a buffer
                            }
                            Holders.checkStamp(buffer, stamp);
                            inFlight.remove(buffer);
                            pool.put(buffer);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            virtualThreads.forEach(Thread::start);
            for (Thread thread : virtualThreads) {
                thread.join();
            }
            PoolStats end = pool.stats();
            assertThat(failures).isEmpty();
            assertThat(pool.threadCacheCount()).as("per-thread caches").isZero();
            assertThat(end.tlsHits()).isZero();
            assertThat(end.hitRate()).as("hit rate (%d misses in %d gets)", end.misses(), end.gets())
                    .isGreaterThanOrEqualTo(0.99);
            assertThat(end.pooledBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
            assertExact(end, (long) threads * pairs, (long) threads * pairs);
            assertConserved(end);
        }
    }

    /** {@code Thread.ofVirtual().unstarted(task)}, which exists from JDK 21; the build targets 17. */
    private static Thread unstartedVirtualThread(Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
        return (Thread) unstarted.invoke(builder, task);
    }

    // ---- 6. Statistics stay exact ---------------------------------------------------------------------

    /** Every get and put this test made is counted once, by outcome. */
    private static void assertExact(PoolStats stats, long expectedGets, long expectedPuts) {
        assertThat(stats.gets()).as("gets").isEqualTo(expectedGets);
        assertThat(stats.tlsHits() + stats.shardHits() + stats.misses()).as("tlsHits + shardHits + misses")
                .isEqualTo(stats.gets());
        assertThat(stats.puts()).as("puts").isEqualTo(expectedPuts);
        assertThat(stats.rejected()).as("rejected").isZero();
        assertThat(stats.kept() + stats.dropped() + stats.rejected()).as("kept + dropped + rejected")
                .isEqualTo(stats.puts());
    }

    /**
     * With nothing held by callers and no trim or close: every buffer a put left with the pool was handed
     * out again by a hit, evicted, or is still pooled; none lost, none counted twice.
     */
    private static void assertConserved(PoolStats stats) {
        assertThat(stats.pooledBuffers()).as("pooled buffers == kept - hits - evictions (%s)", stats)
                .isEqualTo(stats.kept() - stats.tlsHits() - stats.shardHits() - stats.evictions());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /**
     * Takes {@code count} buffers at once and checks that no two are the same object or share memory
     * (each is stamped, then every stamp checked: identity alone would not tell a view of a pooled
     * buffer's memory).
     */
    private static List<ByteBuffer> takeDistinct(BufferPool pool, int count, int size) {
        List<ByteBuffer> taken = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            taken.add(pool.get(size));
        }
        assertThat(identitySet(taken)).as("distinct buffers among %d held at once", count).hasSize(count);
        assertNoSharedMemory(taken);
        return taken;
    }

    /** Stamps every buffer, then checks every stamp: two buffers over the same memory would clash. */
    private static void assertNoSharedMemory(List<ByteBuffer> held) {
        long base = (long) System.identityHashCode(held) << 32;
        for (int i = 0; i < held.size(); i++) {
            Holders.stamp(held.get(i), base | i);
        }
        for (int i = 0; i < held.size(); i++) {
            Holders.checkStamp(held.get(i), base | i);
        }
    }

    /**
     * Writes {@code number} into the memory that stands for the buffer ({@link Holders#memoryOf}), clear
     * of the stamps at 0, the middle and the end.
     */
    private static void number(BufferPool pool, ByteBuffer buffer, long number) {
        Holders.memoryOf(pool, buffer).putLong(8, number);
    }

    private static Set<ByteBuffer> identitySet(List<ByteBuffer> buffers) {
        Set<ByteBuffer> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(buffers);
        return set;
    }

    /** Runs {@code body} on a new platform thread, waits for it to end, and rethrows what it threw. */
    private static void runOnNewThread(String name, Runnable body) throws InterruptedException {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        }, name);
        thread.start();
        thread.join();
        if (!failures.isEmpty()) {
            throw new AssertionError("thread " + name + " failed", failures.peek());
        }
    }
}
