package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
            // Tracked gets hand out duplicates and the pool keeps the originals, so after the puts nothing
            // references what the caller held: all three go, and none of them is a leak.
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
    void aSecondPutOfABufferWhoseMemoryIsOutAgainAsASampledDuplicateIsRefused() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).build()) {
            ByteBuffer lent = pool.get(4096);
            ByteBuffer original = pool.originalOfSampled(lent);
            while (original == null) { // one tracked get in about 5000 finds no tagged duplicate and hands out the original
                pool.put(lent);
                lent = pool.get(4096);
                original = pool.originalOfSampled(lent);
            }
            pool.put(lent);
            lent = pool.get(4096); // the same memory again, through a new duplicate
            assertThat(pool.originalOfSampled(lent)).isSameAs(original);

            // A holder that kept the original from an earlier loan (say, a get that was not sampled) returns
            // it a second time: the pool does not hold it, but its memory has a holder again.
            ByteBuffer stale = original;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.put(stale))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("out on loan again");
            assertThat(pool.stats().pooledBuffers()).as("the memory was not pooled while lent").isZero();

            pool.put(lent); // the rightful holder's put is kept
            assertThat(pool.stats().rejected()).isEqualTo(1);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(pool.stats().kept()).isEqualTo(pool.stats().puts() - pool.stats().rejected()
                    - pool.stats().dropped());
        }
    }

    @Test
    void aTrackedBufferPutTwiceIsRefusedAndItsMemoryIsNeverPooledTwice() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(new CapturingLogger())
                .tlsCacheSize(0).numShards(1).validation(Validation.OFF).build()) {
            ByteBuffer tracked = pool.get(4096);
            pool.put(tracked);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.put(tracked))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice")
                    .hasMessageContaining("leak-sampled");
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(pool.stats().rejected()).isEqualTo(1);
        }
    }

    @Test
    void anUntrackedPutReadsOnlyTheBuffersOwnIdentityHash() {
        // The pool's own buffers never carry the tag that sends a put to the tracking table.
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).tlsCacheSize(0)
                .log(new CapturingLogger()).build()) {
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                held.add(pool.get(4096 + i % 64 * 4096));
            }
            long tracked = held.stream().filter(LeakDetector::isTagged).count();
            assertThat(tracked).isEqualTo(pool.trackedForLeaks()); // tagged exactly when tracked
            held.forEach(pool::put);
            assertThat(pool.trackedForLeaks()).isZero();
        }
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
            // A random countdown in [1, 8191] between samples: at least 40000 / 8191 samples, about 40000 / 4096.
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
    void aCacheWhoseCountdownRunsOutSamplesThatGetWithItsStateReadied() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            pool.put(pool.get(4096)); // this thread's cache now exists (and its first get may have been sampled)
            pool.ownCache().untilLeakSample(Integer.MAX_VALUE);
            ByteBuffer pooled = pool.get(4096);
            pool.put(pooled);
            pool.ownCache().untilLeakSample(1);
            ByteBuffer sampled = pool.get(4096);
            assertThat(sampled).isNotSameAs(pooled); // a tracked duplicate of it
            assertThat(pool.trackedForLeaks()).isEqualTo(1);
            assertThat(sampled.position()).isZero();
            assertThat(sampled.limit()).isEqualTo(4096);
            assertThat(sampled.order()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
            pool.put(sampled);
            assertThat(pool.trackedForLeaks()).isZero();
            pool.ownCache().untilLeakSample(Integer.MAX_VALUE);
            assertThat(pool.get(4096)).isSameAs(pooled); // the pool took its original back
        }
    }

    @Test
    void withDetectionOffACountdownThatRunsOutTracksNothing() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer pooled = pool.get(4096);
            pool.put(pooled);
            pool.ownCache().untilLeakSample(1); // as after 2^31 gets on one thread
            for (int i = 0; i < 3; i++) {
                ByteBuffer buffer = pool.get(4096);
                assertThat(buffer).isSameAs(pooled);
                pool.put(buffer);
            }
            assertThat(pool.stats().tlsHits()).isEqualTo(3);
        }
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
}
