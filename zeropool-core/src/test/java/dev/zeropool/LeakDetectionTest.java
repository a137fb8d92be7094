package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Leaks found by the garbage collector. Tests wait for a collection by watching a weak reference of
 * their own to the leaked buffers, not by sleeping.
 */
class LeakDetectionTest {

    @Test
    void aBufferNeverPutBackIsReportedOnceWithTheStackOfItsGet() {
        CapturingLogger log = new CapturingLogger();
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(log).build()) {
            takeAndForget(pool, 5000);
            awaitAllReported(pool);
            assertThat(pool.stats().leaks()).isEqualTo(1);
            assertThat(log.lines).hasSize(1);
            CapturingLogger.Line line = log.lines.get(0);
            assertThat(line.level()).isEqualTo(System.Logger.Level.WARNING);
            assertThat(line.message()).contains("ZeroPool leak: a buffer of capacity 5120 was taken with get()");
            assertThat(line.thrown()).hasMessageContaining("taken here, by get(5000) on thread main");
            assertThat(line.thrown().getStackTrace()).anySatisfy(frame ->
                    assertThat(frame.getMethodName()).isEqualTo("takeAndForget"));
            assertThat(pool.stats().leaks()).isEqualTo(1); // reported once
        }
    }

    @Test
    void buffersPutBackAreNeverReportedEvenWhenThePoolDropsThem() {
        CapturingLogger log = new CapturingLogger();
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(log).tlsCacheSize(0)
                .numShards(1).maxBuffersPerShard(1).evictionPolicy(EvictionPolicy.LIFO).build()) {
            List<WeakReference<ByteBuffer>> returned = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                returned.add(new WeakReference<>(pool.get(4096)));
            }
            returned.forEach(ref -> pool.put(ref.get())); // one kept, two dropped to the GC
            assertThat(pool.stats().dropped()).isEqualTo(2);
            // Tracked gets hand out views of spares, and the pool takes back the buffers behind them, so
            // after the puts nothing references what the caller held: all three go, and none is a leak.
            for (int attempt = 0; attempt < 100 && returned.stream().anyMatch(r -> r.get() != null); attempt++) {
                System.gc();
            }
            assertThat(returned).allSatisfy(ref -> assertThat(ref.get()).isNull());
            assertThat(pool.trackedForLeaks()).isZero(); // their tracking ended with their put
            assertThat(pool.stats().leaks()).isZero();
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(log.lines).isEmpty();
        }
    }

    @Test
    void aSampledGetLendsThePoolBufferBehindAViewOfASpareAndItsPutReturnsIt() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            ByteBuffer pooled = pooledUnsampled(pool);

            ByteBuffer sampled = sampledGet(pool, 4096);
            assertThat(pool.originalOfSampled(sampled)).as("out on loan behind the view").isSameAs(pooled);
            ByteBuffer spare = pool.spareOfSampled(sampled);
            assertThat(spare).isNotNull().isNotSameAs(pooled);
            assertThat(sampled.capacity()).as("one byte more than the class: no class's").isEqualTo(4097);
            assertThat(pool.stats().pooledBuffers()).isZero();

            // An earlier holder of the pooled buffer returning it again: the pool does not hold it, but
            // it owes it to the view's put, so it must not take it now.
            ByteBuffer stale = pooled;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.put(stale))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("out on loan again");
            assertThat(pool.stats().pooledBuffers()).isZero();

            pool.put(sampled); // the rightful holder's put returns the pooled buffer
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(pool.idleSpares()).isEqualTo(1);
            ByteBuffer again = sampledGet(pool, 4096);
            assertThat(pool.originalOfSampled(again)).isSameAs(pooled);
            assertThat(pool.spareOfSampled(again)).as("the spare is reused").isSameAs(spare);
            pool.put(again);
            PoolStats stats = pool.stats();
            assertThat(stats.rejected()).isEqualTo(1);
            assertThat(stats.kept()).isEqualTo(stats.puts() - stats.rejected() - stats.dropped());
            assertThat(stats.gets()).isEqualTo(stats.tlsHits() + stats.shardHits() + stats.misses());
            assertThat(stats.pooledBuffers()).isEqualTo(stats.kept() - stats.tlsHits() - stats.shardHits());
        }
    }

    @Test
    void idleSparesGiveWayToBuffersWhenTheBudgetRunsShort() {
        // Budget for two buffers of the class and one byte short of a spare beside them.
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .numShards(1).minBufferSize(4096).maxBufferSize(4096).maxPooledBytes(2 * 4096 + 4096).build()) {
            pool.put(pool.get(4096));
            pool.put(sampledGet(pool, 4096));
            assertThat(pool.idleSpares()).isEqualTo(1);
            pool.ownCache().untilLeakSample(Integer.MAX_VALUE);

            ByteBuffer first = pool.get(4096);
            ByteBuffer second = pool.get(4096);
            pool.put(first);
            pool.put(second);
            assertThat(pool.stats().dropped()).isZero();
            assertThat(pool.stats().pooledBuffers()).isEqualTo(2);
            assertThat(pool.idleSpares()).as("the spare gave its bytes back").isZero();
            assertThat(pool.reservedBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
        }
    }

    @Test
    void idleSparesAreDroppedByTheTrimsPastTheIdleTimeoutAndByClear() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        java.time.Duration timeout = IDLE_TIMEOUT;
        try (BufferPool pool = onClock(LeakDetection.SAMPLED, now)) {
            pool.put(pool.get(4096));
            pool.put(sampledGet(pool, 4096));
            assertThat(pool.idleSpares()).isEqualTo(1);
            pool.trim();
            now.addAndGet(timeout.minusSeconds(1).toNanos());
            pool.trim();
            assertThat(pool.idleSpares()).as("idle for less than the timeout").isEqualTo(1);
            now.addAndGet(java.time.Duration.ofSeconds(1).toNanos());
            pool.trim();
            assertThat(pool.idleSpares()).as("idle for the timeout").isZero();

            pool.put(sampledGet(pool, 4096));
            assertThat(pool.idleSpares()).isEqualTo(1);
            long withSpare = pool.reservedBytes();
            pool.clear();
            assertThat(pool.idleSpares()).isZero();
            assertThat(pool.reservedBytes()).as("the spare's bytes went back to the budget")
                    .isLessThanOrEqualTo(withSpare - 4097);
        }
    }

    @Test
    void sparesHeldAtOnceNeverShareMemoryAndComeBackForTheNextSamples() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(new CapturingLogger())
                .build()) {
            for (int round = 0; round < 2; round++) {
                List<ByteBuffer> held = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    held.add(pool.get(4096));
                }
                for (int i = 0; i < held.size(); i++) {
                    Holders.stamp(held.get(i), ((long) round << 32) | i);
                }
                for (int i = 0; i < held.size(); i++) {
                    Holders.checkStamp(held.get(i), ((long) round << 32) | i); // a shared spare would clash
                }
                assertThat(held).extracting(pool::spareOfSampled).doesNotContainNull().doesNotHaveDuplicates();
                held.forEach(pool::put);
                assertThat(pool.idleSpares()).isEqualTo(200);
            }
            assertThat(pool.stats().allocatedBytes()).as("200 buffers and 200 spares, allocated once")
                    .isEqualTo(200L * 4096 + 200L * 4097);
        }
    }

    @Test
    void eachIdleSpareGoesOnceIdleForTheTimeoutWhileItsClassKeepsBeingSampled() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        java.time.Duration timeout = IDLE_TIMEOUT;
        try (BufferPool pool = onClock(LeakDetection.ALL, now)) {
            List<ByteBuffer> burst = List.of(pool.get(4096), pool.get(4096), pool.get(4096));
            burst.forEach(pool::put);
            assertThat(pool.idleSpares()).isEqualTo(3);
            for (int minute = 0; minute < 3; minute++) {
                now.addAndGet(timeout.toNanos());
                pool.put(pool.get(4096)); // one spare keeps coming back
                pool.trim();
            }
            assertThat(pool.idleSpares()).as("the two that stayed idle are gone").isEqualTo(1);
        }
    }

    @Test
    void underStrictASampledGetHandsOutADuplicateSoThePoisonAndItsChecksStayInTheHoldersMemory() {
        try (BufferPool pool = BufferPool.builder().validation(Validation.STRICT).clearOnRelease(true)
                .leakDetection(LeakDetection.ALL).log(new CapturingLogger()).build()) {
            ByteBuffer first = pool.get(4096);
            assertThat(first.capacity()).as("a duplicate: the class's capacity").isEqualTo(4096);
            first.put(0, (byte) 0x42);
            pool.put(first);
            ByteBuffer second = pool.get(4096);
            assertThat(second.get(0)).as("what the last holder wrote does not reach the next").isNotEqualTo((byte) 0x42);
            pool.put(second);

            second.put(0, (byte) 1); // a write after put
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.get(4096))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("written after it was put");
        }
    }

    @Test
    void underStrictAStalePutOfABufferLentBehindASampledViewIsRefused() {
        try (BufferPool pool = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.SAMPLED)
                .log(new CapturingLogger()).build()) {
            ByteBuffer pooled = pooledUnsampled(pool);
            ByteBuffer sampled = sampledGet(pool, 4096);
            assertThat(pool.originalOfSampled(sampled)).isSameAs(pooled);

            ByteBuffer stale = pooled;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.put(stale))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("out on loan again");
            pool.put(sampled);
            pool.ownCache().untilLeakSample(Integer.MAX_VALUE);
            ByteBuffer next = pool.get(4096);
            ByteBuffer after = pool.get(4096);
            assertThat(next).as("the buffer is handed out once").isNotSameAs(after);
            assertThat(pool.stats().rejected()).isEqualTo(1);
        }
    }

    @Test
    void everyTrackedBufferHasACapacityNoClassHasAndAtLeastItsSize() {
        // Under ALL every get is tracked: exact class sizes, sizes between classes, the largest class
        // (whose spare is larger than maxBufferSize) and unpooled sizes.
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(new CapturingLogger())
                .maxBufferSize(1 << 20).build()) {
            int[] sizes = {1, 4096, 5000, 5120, (1 << 20) - 1, 1 << 20, (1 << 20) + 10, 0};
            List<ByteBuffer> held = new ArrayList<>();
            for (int size : sizes) {
                ByteBuffer buffer = pool.get(size);
                assertThat(buffer.limit()).isEqualTo(size);
                assertThat(buffer.capacity()).isGreaterThanOrEqualTo(size);
                assertThat(pool.originalOfSampled(buffer)).as("tracked: get(%d)", size).isNotNull();
                held.add(buffer);
            }
            assertThat(held).map(ByteBuffer::capacity)
                    .containsExactly(4097, 4097, 5121, 5121, (1 << 20) + 1, (1 << 20) + 1, (1 << 20) + 10, 0);
            held.forEach(pool::put);
            assertThat(pool.trackedForLeaks()).isZero();
            PoolStats stats = pool.stats();
            assertThat(stats.rejected()).isZero();
            assertThat(stats.puts()).isEqualTo(sizes.length);
            assertThat(stats.gets()).isEqualTo(stats.tlsHits() + stats.shardHits() + stats.misses());
        }
    }

    @Test
    void untrackedBuffersAreExactlyThoseOfAClassCapacity() {
        // What lets put tell a tracked buffer by the capacity check it makes anyway, with no lookup.
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).tlsCacheSize(0)
                .log(new CapturingLogger()).build()) {
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                held.add(pool.get(4096 + i % 64 * 4096 - i % 2));
                if (held.size() == 2000) {
                    long odd = held.stream().filter(b -> b.capacity() % 2 == 1).count();
                    assertThat(odd).isEqualTo(pool.trackedForLeaks());
                    held.forEach(pool::put);
                    held.clear();
                    assertThat(pool.trackedForLeaks()).isZero();
                }
            }
            assertThat(pool.stats().rejected()).isZero();
        }
    }

    @Test
    void aTrackedBufferPutTwiceIsRefusedAndItsMemoryIsNeverPooledTwice() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(new CapturingLogger())
                .tlsCacheSize(0).numShards(1).validation(Validation.OFF).build()) {
            putTwiceIsRefused(pool, pool.get(4096));
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(pool.stats().rejected()).isEqualTo(1);
        }
    }

    @Test
    void aTrackedBufferOfTheLargestClassPutTwiceIsRefusedToo() {
        // Its capacity, maxBufferSize + 1, was also an unpooled get's: the second put went by as unpooled, and
        // with clearOnRelease zeroed the spare behind it, by then perhaps another holder's.
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(new CapturingLogger())
                .maxBufferSize(1 << 16).clearOnRelease(true).build()) {
            ByteBuffer tracked = pool.get(1 << 16);
            assertThat(tracked.capacity()).isEqualTo((1 << 16) + 1);
            putTwiceIsRefused(pool, tracked);
            assertThat(pool.stats().rejected()).isEqualTo(1);
            // an unpooled get of that very size no longer has that capacity, and goes back as any unpooled buffer
            ByteBuffer unpooled = pool.get((1 << 16) + 1);
            assertThat(unpooled.limit()).isEqualTo((1 << 16) + 1);
            assertThat(unpooled.capacity()).isEqualTo((1 << 16) + 2);
            pool.put(unpooled);
            assertThat(pool.stats().rejected()).isEqualTo(1);
        }
    }

    /** Puts a leak-sampled buffer back, then again: the second put must be refused as one. */
    private static void putTwiceIsRefused(BufferPool pool, ByteBuffer tracked) {
        pool.put(tracked);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.put(tracked))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("buffer put twice")
                .hasMessageContaining("leak-sampled");
    }

    @Test
    void sampledDetectionTracksAboutOneGetIn4096() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).direct(false)
                .log(new CapturingLogger()).build()) {
            for (int i = 0; i < 40_000; i++) {
                takeAndForget(pool, 16);
            }
            awaitAllReported(pool);
            long leaks = pool.stats().leaks();
            // Every get misses the cache, each a tick: a random 1 to 8191 ticks between samples, about 40000 / 4096.
            assertThat(leaks).isBetween(4L, 60L);
        }
    }

    @Test
    void offTracksNothing() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF).build()) {
            WeakReference<ByteBuffer> leaked = new WeakReference<>(takeAndForget(pool, 4096));
            for (int attempt = 0; attempt < 100 && leaked.get() != null; attempt++) {
                System.gc();
            }
            assertThat(leaked.get()).as("collected").isNull();
            assertThat(pool.trackedForLeaks()).isZero();
            assertThat(pool.stats().leaks()).isZero();
        }
    }

    @Test
    void aGetPastTheCacheThatFindsTheClockDueHasOneOfTheNextGetsSampledWithItsStateReadied() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            pool.put(pool.get(8192)); // this thread's cache exists, and holds nothing of the 4096 class
            pool.ownCache().untilLeakSample(1);
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < LeakDetector.SAMPLE_SPREAD; i++) {
                held.add(pool.get(4096)); // the first goes past the cache on the fast path, and finds it due
            }
            // one sampled; rarely two, when the clock, re-armed at random, falls due again among them
            assertThat(held).filteredOn(b -> pool.originalOfSampled(b) != null).isNotEmpty().allSatisfy(sampled -> {
                assertThat(sampled.capacity()).isEqualTo(4097);
                assertThat(sampled.position()).isZero();
                assertThat(sampled.limit()).isEqualTo(4096);
                assertThat(sampled.order()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
            });
            held.forEach(pool::put);
            assertThat(pool.trackedForLeaks()).isZero();
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1 + LeakDetector.SAMPLE_SPREAD);
        }
    }

    @Test
    void aThreadWhoseCacheServesEveryGetIsNotSampledAndAGetPastTheCacheTakesTheDueSample() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            ByteBuffer pooled = pooledUnsampled(pool);
            pool.ownCache().untilLeakSample(1); // due from the next tick on
            for (int i = 0; i < 10_000; i++) {
                ByteBuffer buffer = pool.get(4096);
                assertThat(buffer).as("get %d: the cached buffer itself, untracked", i).isSameAs(pooled);
                pool.put(buffer);
            }
            assertThat(pool.trackedForLeaks()).isZero();
            assertThat(pool.idleSpares()).isZero();

            ByteBuffer held = pool.get(4096); // as a leak would: the cache's only buffer stays out
            assertThat(held).isSameAs(pooled);
            int sampledAt = -1;
            for (int i = 0; i < LeakDetector.SAMPLE_SPREAD && sampledAt < 0; i++) {
                ByteBuffer buffer = pool.get(4096); // the first goes past the cache: the due sample falls
                if (pool.originalOfSampled(buffer) != null) {
                    sampledAt = i;
                }
                pool.put(buffer);
            }
            assertThat(sampledAt).as("one of the %d gets from the one past the cache", LeakDetector.SAMPLE_SPREAD)
                    .isNotNegative();
            pool.put(held);
            assertThat(pool.trackedForLeaks()).isZero();
        }
    }

    @Test
    void aLeakingGetThatTheCacheAlwaysServesIsFoundWithTheStackOfItsGet() {
        // Each round: a get that leaks, then two gets whose buffers go back. The leak leaves the cache one
        // short, so the second get always goes past it and the leaking one is always served by it: a
        // sample taken only where the cache misses would never see the leak.
        CapturingLogger log = new CapturingLogger();
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).direct(false).log(log)
                .build()) {
            for (int round = 0; round < 60_000; round++) {
                takeAndForget(pool, 1024);
                ByteBuffer first = pool.get(1024);
                pool.put(first);
                takeAndReturn(pool, 1024);
            }
            assertThat(pool.stats().tlsHits()).as("the leaking gets hit the cache, as do the third gets")
                    .isGreaterThan(119_000L);
            awaitAllReported(pool);
            // about 180000 / 4096 samples, each of the leaking get with odds of about one third
            assertThat(pool.stats().leaks()).isBetween(1L, 60L);
            assertThat(log.lines).hasSize((int) pool.stats().leaks()).allSatisfy(line ->
                    assertThat(line.thrown().getStackTrace()).anySatisfy(frame ->
                            assertThat(frame.getMethodName()).isEqualTo("takeAndForget")));
        }
    }

    @Test
    void aDueSampleFallsOnEachOfTheNext32GetsAlike() {
        // The get that finds the sample due picks it or one of the 31 after it: every offset is drawn.
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            int spread = LeakDetector.SAMPLE_SPREAD;
            int[] sampledAt = new int[spread];
            List<ByteBuffer> held = new ArrayList<>();
            pool.put(pool.get(8192)); // this thread's cache
            for (int trial = 0; trial < 2000; trial++) {
                pool.ownCache().untilLeakSample(1);
                int finder = -1;
                for (int i = 0; i < pool.config().tlsCacheSize() + spread; i++) {
                    long hits = pool.stats().tlsHits();
                    held.add(pool.get(4096)); // the first the cache cannot serve finds the sample due
                    if (finder < 0 && pool.stats().tlsHits() == hits) {
                        finder = i;
                    }
                }
                for (int i = 0; i < finder; i++) {
                    assertThat(pool.originalOfSampled(held.get(i))).as("served before the sample was found")
                            .isNull();
                }
                for (int i = finder; i < finder + spread; i++) {
                    if (pool.originalOfSampled(held.get(i)) != null) {
                        sampledAt[i - finder]++;
                        break;
                    }
                }
                held.forEach(pool::put);
                held.clear();
            }
            // 2000 draws among 32 offsets: each drawn about 62 times, none missed but with odds of e^-60
            assertThat(java.util.Arrays.stream(sampledAt).min().getAsInt())
                    .as("fewest draws of an offset, of %s", java.util.Arrays.toString(sampledAt)).isPositive();
            assertThat(java.util.Arrays.stream(sampledAt).sum()).isEqualTo(2000);
        }
    }

    @Test
    void aPutPastTheCacheFindsADueSampleForTheNextGets() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                held.add(pool.get(4096));
            }
            pool.ownCache().untilLeakSample(1);
            held.forEach(pool::put); // the cache keeps 4 (ticks), the 5th finds no room and the clock due
            held.clear();
            assertThat(pool.trackedForLeaks()).isZero();
            int sampled = 0;
            long hits = pool.stats().tlsHits();
            for (int i = 0; i < LeakDetector.SAMPLE_SPREAD; i++) {
                ByteBuffer buffer = pool.get(4096);
                if (pool.originalOfSampled(buffer) != null) {
                    sampled++;
                }
                pool.put(buffer);
            }
            assertThat(pool.stats().tlsHits() - hits).as("every get served by the cache")
                    .isEqualTo(LeakDetector.SAMPLE_SPREAD);
            assertThat(sampled).as("one of the %d gets after the put", LeakDetector.SAMPLE_SPREAD).isEqualTo(1);
            assertThat(pool.trackedForLeaks()).isZero();
        }
    }

    @Test
    void aThreadsFirstCallAfterATrimFindsADueSampleThoughItsCacheServesEveryGet() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            ByteBuffer pooled = pooledUnsampled(pool);
            pool.ownCache().untilLeakSample(1);
            pool.put(pool.get(4096)); // a kept put ticks the clock: due, but nothing off the fast path finds it
            assertThat(pool.get(4096)).isSameAs(pooled);
            pool.put(pooled);
            pool.trim();
            boolean sampled = false;
            for (int i = 0; i < LeakDetector.SAMPLE_SPREAD && !sampled; i++) {
                ByteBuffer buffer = pool.get(4096);
                sampled = pool.originalOfSampled(buffer) != null;
                pool.put(buffer);
            }
            assertThat(sampled).as("one of the %d gets after the trim", LeakDetector.SAMPLE_SPREAD).isTrue();
        }
    }

    @Test
    void withDetectionOffAGetPastTheCacheWhileTheClockIsDueTracksNothing() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF).build()) {
            pool.put(pool.get(8192));
            pool.ownCache().untilLeakSample(1); // as after 2^31 ticks on one thread
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < 2 * LeakDetector.SAMPLE_SPREAD; i++) {
                held.add(pool.get(4096));
            }
            assertThat(held).allSatisfy(buffer -> {
                assertThat(buffer.capacity()).isEqualTo(4096);
                assertThat(pool.originalOfSampled(buffer)).isNull();
            });
            held.forEach(pool::put);
            assertThat(pool.trackedForLeaks()).isZero();
        }
    }

    /**
     * Makes this thread's cache and returns the one buffer of the 4096 class it then holds, taken and put
     * with sampling held off (the very first get may have been sampled: the clock starts at random).
     */
    private static ByteBuffer pooledUnsampled(BufferPool pool) {
        pool.put(pool.get(4096));
        pool.ownCache().untilLeakSample(Integer.MAX_VALUE);
        ByteBuffer pooled = pool.get(4096);
        pool.put(pooled);
        return pooled;
    }

    /** This thread's next get, sampled wherever it is served (as a due sample's chosen get is). */
    private static ByteBuffer sampledGet(BufferPool pool, int size) {
        pool.ownCache().sampleGetAfter(0);
        return pool.get(size);
    }

    private static void takeAndReturn(BufferPool pool, int size) {
        pool.put(pool.get(size));
    }

    private static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofMinutes(1);

    /** A pool whose idle time is read from {@code now} (nanoseconds), with an idle timeout of a minute. */
    private static BufferPool onClock(LeakDetection mode, java.util.concurrent.atomic.AtomicLong now) {
        return BufferPool.builder().leakDetection(mode).log(new CapturingLogger()).ticker(now::get)
                .idleTimeout(IDLE_TIMEOUT).build();
    }

    private static ByteBuffer takeAndForget(BufferPool pool, int size) {
        return pool.get(size);
    }

    /** Runs collections until every tracked buffer has been collected and reported; fails if they never are. */
    private static void awaitAllReported(BufferPool pool) {
        for (int attempt = 0; attempt < 200 && pool.trackedForLeaks() > 0; attempt++) {
            System.gc();
            pool.stats(); // reports what the collector has queued
        }
        assertThat(pool.trackedForLeaks()).as("tracked buffers not yet collected and reported").isZero();
    }

    /*
     * An earlier holder (a thread without a cache) puts a buffer a second time while a shard holds it, and
     * its double-put check (every shard's lock, in index order) is held up at shard 0; meanwhile a sampled
     * get takes the buffer from shard 1 and lends it behind a view. The check then finds the buffer nowhere
     * and the second put pools it in a shard. The view's put must still find it held: the loan looks
     * parked, and skipping the check for it (as a commit once did, to spare sampled puts every shard's
     * lock) pooled it twice, for two holders.
     */
    @Test
    void aViewsPutFindsItsLoanPooledByARacingSecondPut() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21,
                "needs a virtual thread (JDK 21+), this is " + Runtime.version() + ": skipped (it runs on JDK 25 in CI)");
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null); // the build targets 17
        ThreadFactory virtual = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory")
                .invoke(builder);
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .numShards(2).tlsCacheSize(4).build()) {
            pool.put(pool.get(8192)); // this thread's cache now exists
            pool.ownCache().untilLeakSample(Integer.MAX_VALUE);
            AtomicReference<ByteBuffer> returned = new AtomicReference<>();
            Thread holder;
            do { // a thread without a cache, homed on shard 1 (its id modulo the shard count)
                holder = virtual.newThread(() -> {
                    ByteBuffer taken;
                    do {
                        taken = pool.get(4096);
                    } while (taken.capacity() != 4096); // not a sampled view
                    pool.put(taken);
                    returned.set(taken);
                });
            } while ((idOf(holder) & 1) != 1);
            holder.start();
            holder.join();
            ByteBuffer buffer = returned.get(); // in shard 1 now
            Shard zero = pool.tier().shard(0);
            zero.lock();
            AtomicReference<Throwable> secondPut = new AtomicReference<>();
            Thread again = virtual.newThread(() -> { // no cache either: what it keeps goes to a shard
                try {
                    pool.put(buffer); // the earlier holder's second put, while the pool still holds it
                } catch (Throwable misuse) {
                    secondPut.set(misuse);
                }
            });
            ByteBuffer view;
            try {
                again.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (zero.waiting() == 0) { // in the double-put check, held up at shard 0
                    assertThat(System.nanoTime()).as("the second put reached shard 0's lock").isLessThan(deadline);
                    Thread.yield();
                }
                pool.ownCache().sampleGetAfter(0);
                view = pool.get(4096); // takes the buffer from shard 1, behind a view
            } finally {
                zero.unlock();
            }
            again.join();
            assertThat(pool.originalOfSampled(view)).isSameAs(buffer);
            assertThat(secondPut.get()).as("the second put found nothing and pooled the buffer").isNull();

            assertThatThrownBy(() -> pool.put(view)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("put twice");
            pool.ownCache().untilLeakSample(Integer.MAX_VALUE);
            assertThat(pool.get(4096)).as("one buffer, one holder").isNotSameAs(pool.get(4096));
        }
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the build targets 17
    private static long idOf(Thread thread) {
        return thread.getId();
    }
}
