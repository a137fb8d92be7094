package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import dev.zeropool.PoolStats;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecentStatsTests {

    private final AtomicLong now = new AtomicLong();

    @Test
    void allReadsWithinTheMaximumAgeShareOneSnapshotAndLaterReadsSeeNewCounts() {
        try (BufferPool pool = BufferPool.builder().build()) {
            RecentStats recent = new RecentStats(now::get);
            PoolStats first = recent.get(pool);
            pool.put(pool.get(4096));
            now.addAndGet(RecentStats.MAX_AGE.toNanos() - 1);
            assertThat(recent.get(pool)).isSameAs(first); // one scrape, one snapshot
            now.addAndGet(1);
            PoolStats second = recent.get(pool);
            assertThat(second).isNotSameAs(first);
            assertThat(second.gets()).isEqualTo(first.gets() + 1);
        }
    }

    /**
     * A counter read through the shared snapshot never goes back, which a scraper would take for a reset.
     * Two threads refreshing at once could publish the older snapshot last: here the first takes its
     * snapshot, and publishes only once the second has returned or waits.
     */
    @Test
    void aSnapshotTakenEarlierIsNeverPublishedAfterALaterOne() throws Exception {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF).build()) {
            CountDownLatch firstHasItsSnapshot = new CountDownLatch(1);
            AtomicReference<Thread> second = new AtomicReference<>();
            AtomicReference<Thread> first = new AtomicReference<>();
            AtomicReference<RecentStats> shared = new AtomicReference<>();
            RecentStats recent = new RecentStats(now::get, (p) -> {
                if (Thread.currentThread() != first.get()) {
                    p.put(p.get(4096)); // the later snapshot has one more get
                    return p.stats();
                }
                PoolStats older = p.stats();
                firstHasItsSnapshot.countDown();
                Thread other;
                while ((other = second.get()) == null || other.isAlive() && !shared.get().waitsForRefresh(other)) {
                    Thread.onSpinWait(); // until the second refresher has returned, or waits for this one
                }
                return older;
            });
            shared.set(recent);
            AtomicLong secondRead = new AtomicLong();
            first.set(new Thread(() -> recent.get(pool)));
            first.get().start();
            firstHasItsSnapshot.await();
            Thread reader = new Thread(() -> secondRead.set(recent.get(pool).gets()));
            reader.start();
            second.set(reader); // once started: a thread not yet started is not alive either
            reader.join();
            first.get().join();

            assertThat(recent.get(pool).gets()).as("gets read after a read of %d", secondRead.get())
                    .isGreaterThanOrEqualTo(secondRead.get());
        }
    }
}
