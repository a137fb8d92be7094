package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.util.concurrent.atomic.AtomicLong;
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
}
