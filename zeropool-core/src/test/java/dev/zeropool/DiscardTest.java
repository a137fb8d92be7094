package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferPool#discard}: a buffer given up without going back for reuse (Jetty's removeAndRelease,
 * a failed write) is unpinned, no longer tracked for leaks, never handed out again, and counted as a put
 * the pool dropped; misuse is refused as for put.
 */
class DiscardTest {

    @Test
    void aDiscardedBufferIsUnpinnedNeverHandedOutAgainAndCountsAsADroppedPut() {
        try (BufferPool pool = BufferPool.builder().pinnedMemory(true).leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer buffer = pool.get(65536);
            assumeTrue(pool.stats().pinnedBytes() == 65536, "needs JNA and mlock (ulimit -l of at least 64 KiB)");
            buffer.put(0, (byte) 7);

            pool.discard(buffer);

            assertThat(pool.stats().pinnedBytes()).as("still locked after discard").isZero();
            assertThat(buffer.get(0)).as("neither zeroed nor poisoned: someone may still read it").isEqualTo((byte) 7);
            assertThat(pool.get(65536)).isNotSameAs(buffer);
            PoolStats stats = pool.stats();
            assertThat(stats.dropped()).isEqualTo(1);
            assertThat(stats.puts()).isEqualTo(stats.kept() + stats.dropped() + stats.rejected()).isEqualTo(1);
            assertThat(stats.pooledBuffers()).isZero();
        }
    }

    @Test
    void aDiscardedLeakSampledBufferIsNoLongerTrackedAndThePoolBufferBehindItGoesBack() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.ALL).log(new CapturingLogger())
                .build()) {
            ByteBuffer view = pool.get(4096);
            ByteBuffer behind = pool.originalOfSampled(view);
            assertThat(behind).as("sampled").isNotNull();
            assertThat(pool.trackedForLeaks()).isEqualTo(1);

            pool.discard(view);

            assertThat(pool.trackedForLeaks()).as("tracked: a leak report would follow its collection").isZero();
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).as("the buffer no holder saw, kept").isEqualTo(1);
            assertThat(stats.kept()).isEqualTo(1);
            ByteBuffer next = pool.get(4096);
            assertThat(pool.originalOfSampled(next)).isSameAs(behind);
            assertThatThrownBy(() -> pool.discard(view)).as("the view again").isInstanceOf(IllegalStateException.class);
            pool.put(next);
        }
    }

    @Test
    void discardingABufferThePoolHoldsIsRefused() {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            assertThatThrownBy(() -> pool.discard(buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("discarded after it was put");
            assertThatThrownBy(() -> pool.discard(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.discard(ByteBuffer.allocate(4096)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap");
            assertThat(pool.stats().rejected()).isEqualTo(3);
            assertThat(pool.get(4096)).as("still pooled, once").isSameAs(buffer);
        }
    }

    @Test
    void discardingABufferOutOnLoanBehindALeakSampledViewIsRefusedAsItsPutIs() {
        // an earlier holder that put the buffer discards it while a sampled get lends it behind a view:
        // dropping it counted a drop, and the view's put then pooled it all the same, for the next get
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger())
                .build()) {
            ByteBuffer first = pool.get(4096);
            pool.put(first);
            pool.ownCache().sampleGetAfter(0);
            ByteBuffer view = pool.get(4096);
            assertThat(pool.originalOfSampled(view)).isSameAs(first);

            assertThatThrownBy(() -> pool.discard(first)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("discarded after it was put").hasMessageContaining("out on loan again");

            PoolStats stats = pool.stats();
            assertThat(stats.rejected()).isEqualTo(1);
            assertThat(stats.dropped()).as("not counted as dropped").isZero();
            pool.put(view);
            assertThat(pool.get(4096)).as("the view's put returns it, once").isSameAs(first);
        }
    }

    @Test
    void underStrictABufferDiscardedTwiceOrPutAfterDiscardIsRefused() {
        try (BufferPool pool = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.OFF)
                .build()) {
            ByteBuffer buffer = pool.get(4096);
            pool.discard(buffer);
            assertThatThrownBy(() -> pool.discard(buffer)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("after an earlier put or discard");
            assertThatThrownBy(() -> pool.put(buffer)).isInstanceOf(IllegalArgumentException.class);
            ByteBuffer put = pool.get(4096);
            pool.put(put);
            assertThatThrownBy(() -> pool.discard(put)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("discarded after it was put");
            assertThat(pool.stats().rejected()).isEqualTo(3);
        }
    }
}
