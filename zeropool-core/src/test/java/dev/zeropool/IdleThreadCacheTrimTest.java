package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thread that stopped calling the pool, but lives on, has its cache taken back by {@code trim()}: the
 * cache is dropped at a trim once at least two trims have run since the owner's last call and the time
 * from the last trim the owner saw before that call to this trim is at least the idle timeout. A thread
 * that keeps calling is never trimmed this way, and an owner whose cache was taken back keeps working.
 *
 * <p>The owner is the single thread of an executor: between tasks it is alive and idle (blocked on the
 * executor's queue), and each task runs on that same thread. Time is a clock the test moves.
 */
class IdleThreadCacheTrimTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int SIZE = 4096;
    private static final int CACHE = 4;
    /** Where {@link #churn} writes a buffer's id: clear of the stamps at 0, the middle and the end. */
    private static final int ID_OFFSET = 8;
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final AtomicLong now = new AtomicLong(); // nanoseconds; 0 when the pool is built
    private final ExecutorService ownerExecutor = Executors.newSingleThreadExecutor();
    private final Thread owner = on(Thread::currentThread);

    @AfterEach
    void stopOwner() throws InterruptedException {
        ownerExecutor.shutdown();
        owner.join();
    }

    private BufferPool pool() {
        return BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(CACHE).build();
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    /** Runs {@code task} on the owner thread and waits for it; rethrows what it threw. */
    private <T> T on(Callable<T> task) {
        try {
            return ownerExecutor.submit(task).get();
        } catch (Exception e) {
            throw new AssertionError("the owner thread's task failed", e);
        }
    }

    private void onOwner(Runnable task) {
        on(() -> {
            task.run();
            return null;
        });
    }

    /** The owner takes {@code CACHE} buffers at once and returns them, twice: its cache fills and serves. */
    private void ownerFillsItsCache(BufferPool pool) {
        onOwner(() -> roundTrip(pool, CACHE));
        onOwner(() -> roundTrip(pool, CACHE));
        PoolStats stats = pool.stats();
        assertThat(stats.dropped()).isZero();
        assertThat(stats.pooledBuffers()).isEqualTo(CACHE);
        assertThat(stats.tlsHits()).as("hits in the owner's cache").isPositive();
    }

    @Test
    void anIdleThreadsCacheIsTakenBackByTheSecondTrimPastTheTimeoutAndTheThreadKeepsWorking() {
        try (BufferPool pool = pool()) {
            ownerFillsItsCache(pool);

            advance(TIMEOUT);
            pool.trim();
            assertThat(pool.stats().pooledBuffers()).as("after one trim since the owner's last call")
                    .isEqualTo(CACHE);
            advance(TIMEOUT);
            pool.trim();
            PoolStats trimmed = pool.stats();
            assertThat(trimmed.pooledBuffers()).as("pooled buffers after the second trim").isZero();
            assertThat(trimmed.pooledBytes()).as("pooled bytes after the second trim").isZero();
            assertThat(owner.isAlive()).as("the owner is alive, only idle").isTrue();

            // The owner resumes: 1000 gets and puts, holding 1 to 4 buffers at a time. Every buffer it sees
            // must be fresh or one it returned since: none of the four that were taken back.
            int fresh = on(() -> churn(pool, 1000));
            PoolStats end = pool.stats();
            assertThat(end.misses() - trimmed.misses()).as("misses, against buffers the owner saw fresh")
                    .isEqualTo(fresh).isLessThanOrEqualTo(CACHE);
            assertThat(end.dropped() - trimmed.dropped()).isZero();
            assertThat(end.pooledBuffers()).as("every buffer the owner used is pooled again").isEqualTo(fresh);
            assertThat(end.pooledBytes()).isEqualTo((long) fresh * SIZE);
            assertExact(end, 2 * CACHE + 1000);
        }
    }

    @Test
    void underStrictValidationABufferTakenBackFromAnIdleCacheStaysKnownToThePool() {
        // Its owner may have been stalled inside get() across the revocation and still hand it out (see
        // ThreadCache); that holder's put must then be judged as a put of this pool's buffer, not a foreign one.
        // never leak-sampled: the test follows the buffer's identity, and under STRICT a sampled get hands
        // out a duplicate of it
        try (BufferPool pool = BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(CACHE)
                .validation(Validation.STRICT).leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer cached = on(() -> {
                ByteBuffer buffer = pool.get(SIZE);
                pool.put(buffer);
                return buffer;
            });
            advance(TIMEOUT);
            pool.trim();
            advance(TIMEOUT);
            pool.trim();
            assertThat(pool.stats().pooledBuffers()).as("the idle owner's cache was taken back").isZero();
            // Here the buffer has no holder, so a put of it is a second put: refused as one.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.put(cached))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("put twice");
        }
    }

    @Test
    void aThreadThatCallsThePoolBetweenTrimsKeepsItsCache() {
        try (BufferPool pool = pool()) {
            ownerFillsItsCache(pool);

            advance(TIMEOUT);
            pool.trim();
            onOwner(() -> pool.put(pool.get(SIZE))); // the owner is not idle: it called after that trim
            advance(TIMEOUT);
            pool.trim();
            assertThat(pool.stats().pooledBuffers()).as("after one trim since the owner's last call")
                    .isEqualTo(CACHE);

            advance(TIMEOUT);
            pool.trim(); // the second trim since the owner's last call, and the timeout has passed
            assertThat(pool.stats().pooledBuffers()).as("after two trims since the owner's last call").isZero();
            assertThat(owner.isAlive()).isTrue();
            assertExact(pool.stats(), 2 * CACHE + 1);
        }
    }

    @Test
    void anIdleThreadsCacheIsKeptUntilTheTimeoutHasPassed() {
        try (BufferPool pool = pool()) {
            ownerFillsItsCache(pool);

            List<Long> pooledAfterTrim = new ArrayList<>(); // index k-1: after the trim at k * 10 s
            for (int k = 1; k <= 7; k++) {
                advance(Duration.ofSeconds(10));
                pool.trim();
                pooledAfterTrim.add(pool.stats().pooledBuffers());
            }
            assertThat(pooledAfterTrim.subList(0, 5)).as("pooled buffers after the trims at 10 s .. 50 s")
                    .containsOnly((long) CACHE);
            assertThat(pooledAfterTrim.get(6)).as("pooled buffers after the trim at 70 s").isZero();
            assertThat(owner.isAlive()).isTrue();
        }
    }

    @Test
    void takingBackAnIdleCacheGivesItsBytesBackToTheBudget() {
        // Room for 10 buffers: while the owner's cache holds its 4, another thread cannot pool 8.
        try (BufferPool pool = BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(CACHE)
                .maxPooledBytes(10L * SIZE).build()) {
            ownerFillsItsCache(pool);
            advance(TIMEOUT);
            pool.trim();
            advance(TIMEOUT);
            pool.trim();
            assertThat(pool.stats().pooledBytes()).isZero();

            PoolStats before = pool.stats();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                other.submit(() -> roundTrip(pool, 8)).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                other.shutdown();
            }
            PoolStats after = pool.stats();
            assertThat(after.dropped() - before.dropped()).as("dropped puts of the other thread").isZero();
            assertThat(after.pooledBuffers()).isEqualTo(8);
            assertThat(after.pooledBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
        }
    }

    @Test
    void trimsRacingWithTheOwnerNeverHandOneBufferToTwoHolders() throws Exception {
        int rounds = 200;
        try (BufferPool pool = pool()) {
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(2);
            CyclicBarrier done = new CyclicBarrier(2);
            // Even rounds: the owner works, then idles while two trims past the timeout take its cache.
            // Odd rounds: the two trims run while the owner works.
            ownerExecutor.execute(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        start.await();
                        try {
                            churn(pool, 50);
                        } catch (Throwable t) {
                            failures.add(t); // and keep to the rounds, so the test does not wait forever
                        }
                        done.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    failures.add(e);
                }
            });
            long emptiedRounds = 0;
            try {
                for (int round = 0; round < rounds; round++) {
                    start.await();
                    if (round % 2 == 0) {
                        done.await();
                        trimTwice(pool);
                        if (pool.stats().pooledBuffers() == 0) {
                            emptiedRounds++;
                        }
                    } else {
                        trimTwice(pool);
                        done.await();
                    }
                }
            } catch (BrokenBarrierException e) {
                failures.add(e);
            }
            onOwner(() -> { }); // the owner's loop has finished
            assertThat(failures).isEmpty();
            assertThat(emptiedRounds).as("rounds whose idle owner's cache was taken back").isEqualTo(rounds / 2);
            PoolStats end = pool.stats();
            assertThat(end.pooledBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
            assertExact(end, rounds * 50L);
        }
    }

    /*
     * An owner stalled inside put() across a whole revocation (past its lease check, before its store)
     * stores its buffer into a cache the trim has already emptied and given up. Reproduced by making that
     * last store on the owner thread once the cache is revoked: the buffer must not stay stranded there,
     * out of every count and, with pinning, locked for good. It is taken out by whichever comes first:
     * the owner's next call, the next trim, or the sweep of ended threads.
     */

    /** Revokes the owner's cache, then lets the owner store {@code late} into it, as a stalled put would. */
    private ThreadCache stragglerStoredAfterRevocation(BufferPool pool, ByteBuffer late) {
        ThreadCache cache = on(pool::ownCache);
        trimTwice(pool);
        assertThat(cache.revoked()).as("the idle owner's cache was taken back").isTrue();
        int sizeClass = new SizeClasses(pool.config().minBufferSize(), pool.config().maxBufferSize()).indexFor(SIZE);
        // the slot the buffer was taken from is still the class's room, so the store needs no budget
        assertThat(on(() -> cache.push(sizeClass, late, new ByteBudget(1), 0))).as("the stalled store").isTrue();
        assertThat(pool.stats().pooledBuffers()).as("a revoked cache counts nothing").isZero();
        return cache;
    }

    private BufferPool unsampledPool() {
        // leak detection off: the test follows a buffer's identity, and a sampled get hands out a view
        return BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(CACHE)
                .leakDetection(LeakDetection.OFF).build();
    }

    @Test
    void aBufferAStalledPutStoresInARevokedCacheIsServedAgainAfterTheOwnersNextCall() {
        try (BufferPool pool = unsampledPool()) {
            ownerFillsItsCache(pool);
            ByteBuffer late = on(() -> pool.get(SIZE));
            stragglerStoredAfterRevocation(pool, late);

            ByteBuffer again = on(() -> pool.get(SIZE)); // renews nothing: starts a new cache, rehomes the straggler
            assertThat(again).as("the next get of its size finds it in the home shard").isSameAs(late);
            onOwner(() -> pool.put(again));
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertExact(pool.stats(), 2 * CACHE + 2);
        }
    }

    @Test
    void aBufferAStalledPutStoresInARevokedCacheIsDroppedByTheNextTrimIfTheOwnerStaysIdle() {
        try (BufferPool pool = unsampledPool()) {
            ownerFillsItsCache(pool);
            ByteBuffer late = on(() -> pool.get(SIZE));
            ThreadCache cache = stragglerStoredAfterRevocation(pool, late);

            advance(TIMEOUT);
            assertThat(pool.trim()).as("bytes the next trim drops").isEqualTo(SIZE);
            assertThat(cache.takeStragglers()).as("left in the revoked cache").isEmpty();
            assertThat(pool.reservedBytes()).as("bytes reserved with nothing pooled").isZero();
        }
    }

    @Test
    void aBufferAStalledPutStoresInARevokedCacheIsPooledOnceItsOwnerHasEnded() throws InterruptedException {
        try (BufferPool pool = unsampledPool()) {
            ownerFillsItsCache(pool);
            ByteBuffer late = on(() -> pool.get(SIZE));
            stragglerStoredAfterRevocation(pool, late);

            ownerExecutor.shutdown();
            owner.join();
            PoolStats stats = pool.stats(); // sweeps the ended owner's cache
            assertThat(stats.pooledBuffers()).as("the straggler, in its home shard").isEqualTo(1);
            assertThat(pool.get(SIZE)).isSameAs(late);
        }
    }

    private void trimTwice(BufferPool pool) {
        advance(TIMEOUT);
        pool.trim();
        advance(TIMEOUT);
        pool.trim();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static void roundTrip(BufferPool pool, int count) {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(pool.get(SIZE));
        }
        taken.forEach(pool::put);
    }

    /**
     * {@code gets} gets and as many puts, holding 1, 2, 3, 4, 1, 2, ... buffers at a time; each buffer
     * taken must differ from every buffer held with it, and its stamp must survive until it is put.
     * Buffers are told apart by an id written into their memory (a fresh buffer reads 0 there), not by
     * object identity, and through {@link Holders#memoryOf}: a leak-sampled get hands out a view of a spare.
     *
     * @return how many fresh buffers (ones that read id 0) it saw
     */
    private static int churn(BufferPool pool, int gets) {
        Set<ByteBuffer> held = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Long> heldIds = new HashSet<>();
        List<ByteBuffer> batch = new ArrayList<>();
        long stamp = Thread.currentThread().getId() << 32;
        int fresh = 0;
        int taken = 0;
        for (int batchSize = 1; taken < gets; batchSize = batchSize % CACHE + 1) {
            for (int i = 0; i < batchSize && taken < gets; i++, taken++) {
                ByteBuffer buffer = pool.get(SIZE);
                ByteBuffer memory = Holders.memoryOf(pool, buffer);
                long id = memory.getLong(ID_OFFSET);
                if (id == 0) {
                    id = NEXT_ID.incrementAndGet();
                    memory.putLong(ID_OFFSET, id);
                    fresh++;
                }
                if (!held.add(buffer) || !heldIds.add(id)) {
                    throw new AssertionError("get " + taken + " handed out a buffer its caller already holds");
                }
                Holders.stamp(buffer, stamp + taken);
                batch.add(buffer);
            }
            for (int i = 0; i < batch.size(); i++) {
                Holders.checkStamp(batch.get(i), stamp + taken - batch.size() + i);
            }
            for (ByteBuffer buffer : batch) {
                held.remove(buffer);
                heldIds.remove(Holders.memoryOf(pool, buffer).getLong(ID_OFFSET));
                pool.put(buffer);
            }
            batch.clear();
        }
        return fresh;
    }

    /** Every get and put counted once, by outcome; {@code pairs} gets and as many puts were made. */
    private static void assertExact(PoolStats stats, long pairs) {
        assertThat(stats.gets()).as("gets").isEqualTo(pairs);
        assertThat(stats.tlsHits() + stats.shardHits() + stats.misses()).as("tlsHits + shardHits + misses")
                .isEqualTo(stats.gets());
        assertThat(stats.puts()).as("puts").isEqualTo(pairs);
        assertThat(stats.rejected()).as("rejected").isZero();
        assertThat(stats.kept() + stats.dropped() + stats.rejected()).as("kept + dropped + rejected")
                .isEqualTo(stats.puts());
    }
}
