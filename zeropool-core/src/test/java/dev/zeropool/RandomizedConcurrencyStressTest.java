package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Randomized stress: platform threads (long- and short-lived) and, on JDK 21+, virtual threads doing
 * get/put/lease/discard with a global identity set (a buffer, or the memory behind a view, held by two
 * holders at once fails at once), while an admin thread trims (advancing the clock past the idle timeout
 * every time, so any owner descheduled mid-call is revoked), clears and reads stats, and in some rounds
 * closes the pool under the workers. At quiescence: exact statistics, and no byte of the budget left
 * reserved once everything is trimmed (or the pool is closed).
 */
class RandomizedConcurrencyStressTest {

    private static final int ROUNDS = Integer.getInteger("stress.rounds", 12);
    private static final int OPS = Integer.getInteger("stress.ops", 20_000);
    private static final long SEED = Long.getLong("stress.seed", 1);
    private static final String FORCE = System.getProperty("stress.force", "");

    @Test
    void randomizedStress() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            runRound(SEED * 1_000_003L + round);
        }
    }

    private static final class Held {
        final ByteBuffer buffer;
        final List<Object> keys;
        final BufferLease lease;
        final long stamp;

        Held(ByteBuffer buffer, List<Object> keys, BufferLease lease, long stamp) {
            this.buffer = buffer;
            this.keys = keys;
            this.lease = lease;
            this.stamp = stamp;
        }
    }

    private void runRound(long seed) throws Exception {
        SplittableRandom config = new SplittableRandom(seed);
        int tls = new int[] {0, 1, 2, 4}[config.nextInt(4)];
        int shards = new int[] {1, 2, 4}[config.nextInt(3)];
        long bound = new long[] {48 * 1024, 256 * 1024, 4L << 20}[config.nextInt(3)];
        LeakDetection leak = LeakDetection.values()[config.nextInt(3)];
        Validation validation = Validation.values()[config.nextInt(3)];
        boolean pinned = FORCE.contains("pinned");
        boolean direct = pinned || FORCE.contains("direct");
        boolean closeMidway = config.nextInt(3) == 0;
        boolean clearOnRelease = config.nextInt(4) == 0;
        if (FORCE.contains("noclear")) {
            clearOnRelease = false;
        }
        if (FORCE.contains("clear1")) {
            clearOnRelease = true;
        }
        AtomicLong now = new AtomicLong();
        BufferPool.Builder builder = BufferPool.builder().direct(direct).pinnedMemory(pinned).tlsCacheSize(tls).numShards(shards)
                .maxPooledBytes(bound).minBufferSize(1024).maxBufferSize(16 * 1024).leakDetection(leak)
                .validation(validation).clearOnRelease(clearOnRelease).ticker(now::get)
                .idleTimeout(Duration.ofNanos(1000))
                .evictionPolicy(config.nextBoolean() ? EvictionPolicy.LIFO : EvictionPolicy.CLOCK_PRO);
        if (config.nextBoolean()) {
            builder.maxBuffersPerShard(2 + config.nextInt(12));
        }
        BufferPool pool = builder.build();
        String description = "seed " + seed + " tls " + tls + " shards " + shards + " bound " + bound + " leak "
                + leak + " " + validation + " close " + closeMidway + " clear " + clearOnRelease + " "
                + pool.config();

        Set<Object> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        LongAdder gets = new LongAdder();
        LongAdder puts = new LongAdder();
        AtomicBoolean workersDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        int platform = 3;
        for (int w = 0; w < platform; w++) {
            long s = seed * 31 + w;
            workers.add(new Thread(() -> work(pool, s, OPS, start, held, gets, puts, failures)));
        }
        workers.add(new Thread(() -> { // short-lived threads: caches of ended threads
            Holders.await(start, failures);
            for (int t = 0; t < 60; t++) {
                long s = seed * 7919 + t;
                Thread shortLived = new Thread(() -> work(pool, s, 50, null, held, gets, puts, failures));
                shortLived.start();
                Holders.join(shortLived, failures);
            }
        }));
        List<Thread> virtuals = new ArrayList<>();
        if (Runtime.version().feature() >= 21) {
            for (int v = 0; v < 8; v++) {
                long s = seed * 104729 + v;
                virtuals.add(unstartedVirtual(() -> work(pool, s, OPS / 4, start, held, gets, puts, failures)));
            }
        }
        Thread admin = new Thread(() -> {
            Holders.await(start, failures);
            SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
            int steps = 0;
            while (!workersDone.get()) {
                steps++;
                now.addAndGet(2000);
                int what = random.nextInt(10);
                try {
                    if (what < 6) {
                        pool.trim();
                    } else if (what < 7) {
                        pool.clear();
                    } else {
                        pool.stats();
                    }
                    if (pool.reservedBytes() > bound) {
                        failures.add(new AssertionError("reserved above the bound: " + pool.reservedBytes()));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
                if (closeMidway && steps == 50) {
                    pool.close();
                }
            }
        });
        workers.forEach(Thread::start);
        virtuals.forEach(Thread::start);
        admin.start();
        start.countDown();
        for (Thread t : workers) {
            t.join();
        }
        for (Thread t : virtuals) {
            t.join();
        }
        workersDone.set(true);
        admin.join();

        assertThat(failures).as(description).isEmpty();
        assertThat(held).as(description).isEmpty();
        PoolStats stats = pool.stats(); // every worker has ended: their caches are reclaimed
        assertThat(stats.rejected()).as(description).isZero();
        assertThat(stats.gets()).as(description).isEqualTo(gets.sum())
                .isEqualTo(stats.tlsHits() + stats.shardHits() + stats.misses());
        assertThat(stats.puts()).as(description).isEqualTo(puts.sum());
        assertThat(pool.threadCacheCount()).as(description).isZero();
        assertThat(pool.reservedBytes()).as(description).isGreaterThanOrEqualTo(stats.pooledBytes())
                .isLessThanOrEqualTo(bound);
        if (pinned) {
            assertThat(stats.pinnedBytes()).as(description + ": pinned bytes beyond what is pooled")
                    .isLessThanOrEqualTo(stats.pooledBytes());
        }
        if (pool.isClosed()) {
            assertThat(stats.pooledBuffers()).as(description).isZero();
            assertThat(pool.reservedBytes()).as(description + ": reserved after close").isZero();
        } else {
            for (int t = 0; t < 3; t++) {
                now.addAndGet(1_000_000);
                pool.trim();
            }
            assertThat(pool.stats().pooledBytes()).as(description).isZero();
            assertThat(pool.idleSpares()).as(description).isZero();
            assertThat(pool.reservedBytes()).as(description + ": reserved with nothing pooled").isZero();
            pool.close();
            assertThat(pool.reservedBytes()).as(description).isZero();
        }
        assertThat(pool.stats().pinnedBytes()).as(description + ": pinned after close").isZero();
    }

    /** Holders.stamp's three longs overlap below 24 bytes: stamp small buffers once. */
    private static void stamp(ByteBuffer buffer, long stamp) {
        if (buffer.limit() >= 24) {
            Holders.stamp(buffer, stamp);
        } else if (buffer.limit() >= 8) {
            buffer.putLong(0, stamp);
        }
    }

    private static void checkStamp(ByteBuffer buffer, long stamp) {
        if (buffer.limit() >= 24) {
            Holders.checkStamp(buffer, stamp);
        } else if (buffer.limit() >= 8 && buffer.getLong(0) != stamp) {
            throw new AssertionError("stamp " + stamp + " overwritten: the buffer had two holders");
        }
    }

    private static void check(BufferPool pool, Held h) {
        try {
            checkStamp(h.buffer, h.stamp);
        } catch (AssertionError e) {
            ByteBuffer b = h.buffer;
            throw new AssertionError(e.getMessage() + " " + b + " keys " + h.keys.size() + " sampled="
                    + (pool.originalOfSampled(b) != null) + " at0=" + b.getLong(0)
                    + " expected " + h.stamp + " thread " + Thread.currentThread(), e);
        }
    }

    private static Thread unstartedVirtual(Runnable task) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> type = Class.forName("java.lang.Thread$Builder");
            return (Thread) type.getMethod("unstarted", Runnable.class).invoke(builder, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void work(BufferPool pool, long seed, int ops, CountDownLatch start, Set<Object> held,
                             LongAdder gets, LongAdder puts, ConcurrentLinkedQueue<Throwable> failures) {
        if (start != null) {
            Holders.await(start, failures);
        }
        SplittableRandom random = new SplittableRandom(seed);
        ArrayDeque<Held> mine = new ArrayDeque<>();
        long stamp = seed << 20;
        int max = pool.config().maxBufferSize();
        try {
            for (int i = 0; i < ops && failures.isEmpty(); i++) {
                if (mine.size() < 6 && (mine.isEmpty() || random.nextInt(3) != 0)) {
                    int pick = random.nextInt(20);
                    int size = pick == 0 ? 0 : pick == 1 ? max + 1 + random.nextInt(100)
                            : 1 + random.nextInt(pick < 12 ? 4096 : max);
                    BufferLease lease = null;
                    ByteBuffer buffer;
                    try {
                        if (random.nextInt(5) == 0) {
                            lease = pool.lease(size);
                            buffer = lease.buffer();
                        } else {
                            buffer = pool.get(size);
                        }
                    } catch (IllegalStateException closed) {
                        if (!pool.isClosed()) {
                            throw closed;
                        }
                        continue;
                    }
                    gets.increment();
                    if (buffer.limit() != size || buffer.position() != 0 || buffer.capacity() < size) {
                        throw new AssertionError("bad buffer state " + buffer + " for " + size);
                    }
                    List<Object> keys = new ArrayList<>(3);
                    keys.add(buffer);
                    ByteBuffer original = pool.originalOfSampled(buffer);
                    if (original != null) {
                        keys.add(original);
                    }
                    ByteBuffer spare = pool.spareOfSampled(buffer);
                    if (spare != null) {
                        keys.add(spare);
                    }
                    for (Object key : keys) {
                        if (!held.add(key)) {
                            throw new AssertionError("two holders of one buffer: " + key + " (" + buffer + ")");
                        }
                    }
                    long s = ++stamp;
                    stamp(buffer, s);
                    mine.addLast(new Held(buffer, keys, lease, s));
                } else {
                    giveBack(pool, random.nextBoolean() ? mine.pollFirst() : mine.pollLast(), random.nextInt(10) == 0, held,
                            puts);
                }
            }
            while (!mine.isEmpty()) {
                giveBack(pool, mine.pollFirst(), false, held, puts);
            }
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    /** Checks a held buffer's stamp, lets go of its keys, and returns it: closing its lease, or put or discard. */
    private static void giveBack(BufferPool pool, Held h, boolean discard, Set<Object> held, LongAdder puts) {
        check(pool, h);
        for (Object key : h.keys) {
            held.remove(key);
        }
        puts.increment();
        if (h.lease != null) {
            h.lease.close();
        } else if (discard) {
            pool.discard(h.buffer);
        } else {
            pool.put(h.buffer);
        }
    }
}
