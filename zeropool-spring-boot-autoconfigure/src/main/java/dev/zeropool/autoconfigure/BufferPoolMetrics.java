package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import dev.zeropool.ShardStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds the meters of one {@link BufferPool} ({@link ZeroPoolMeters}) to a registry, tagged
 * {@code pool=<name>}. The meters of one pool share one {@link BufferPool#stats()} snapshot while it is
 * younger than {@link RecentStats#MAX_AGE} (so one scrape takes one snapshot, not one per meter); nothing
 * is counted twice and the pool's hot path is untouched. Usable without Spring:
 * {@code new BufferPoolMetrics(pool, "io").bindTo(registry)}.
 */
public class BufferPoolMetrics implements MeterBinder {

    /** Value of the {@code shard} tag for the buffers held in per-thread caches rather than a shard. */
    static final String THREAD_CACHES = "tls";

    private final BufferPool pool;
    private final RecentStats stats;
    private final Tags tags;

    /**
     * @param pool the pool to observe; the meters hold it weakly, as Micrometer does by default (their
     *     functions hold the shared snapshot strongly)
     * @param name the pool's name, the value of the {@code pool} tag
     */
    public BufferPoolMetrics(BufferPool pool, String name) {
        this.pool = pool;
        this.stats = new RecentStats();
        this.tags = Tags.of(ZeroPoolMeters.POOL_TAG, name);
    }

    /**
     * Registers the meters of {@link ZeroPoolMeters}. Registering twice in one registry is harmless:
     * Micrometer returns the existing meters.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, ZeroPoolMeters.GETS, "tls_hit", PoolStats::tlsHits);
        counter(registry, ZeroPoolMeters.GETS, "shard_hit", PoolStats::shardHits);
        counter(registry, ZeroPoolMeters.GETS, "miss", PoolStats::misses);
        counter(registry, ZeroPoolMeters.PUTS, "kept", PoolStats::kept);
        counter(registry, ZeroPoolMeters.PUTS, "dropped", PoolStats::dropped);
        counter(registry, ZeroPoolMeters.PUTS, "rejected", PoolStats::rejected);
        // The shard count is fixed when the pool is built, so the set of shard series never changes.
        int shards = this.pool.config().numShards();
        for (int index = 0; index < shards; index++) {
            int shard = index;
            gauge(registry, ZeroPoolMeters.POOLED_BUFFERS, Integer.toString(shard),
                    (stats) -> stats.shards().get(shard).buffers());
            gauge(registry, ZeroPoolMeters.POOLED_BYTES, Integer.toString(shard),
                    (stats) -> stats.shards().get(shard).bytes());
        }
        gauge(registry, ZeroPoolMeters.POOLED_BUFFERS, THREAD_CACHES, BufferPoolMetrics::buffersInThreadCaches);
        gauge(registry, ZeroPoolMeters.POOLED_BYTES, THREAD_CACHES, BufferPoolMetrics::bytesInThreadCaches);
        // The functions use the pool Micrometer hands them (held weakly) and capture only the shared
        // snapshot, not this binder, which holds the pool strongly: a registry that outlives the pool
        // must not keep it alive.
        RecentStats recent = this.stats;
        FunctionCounter.builder(ZeroPoolMeters.ALLOCATED_BYTES.meterName(), this.pool,
                        (pool) -> recent.get(pool).allocatedBytes())
                .description(ZeroPoolMeters.ALLOCATED_BYTES.description())
                .baseUnit(ZeroPoolMeters.ALLOCATED_BYTES.baseUnit())
                .tags(this.tags)
                .register(registry);
        Gauge.builder(ZeroPoolMeters.PINNED_BYTES.meterName(), this.pool, (pool) -> recent.get(pool).pinnedBytes())
                .description(ZeroPoolMeters.PINNED_BYTES.description())
                .baseUnit(ZeroPoolMeters.PINNED_BYTES.baseUnit())
                .tags(this.tags)
                .register(registry);
        FunctionCounter.builder(ZeroPoolMeters.LEAKS.meterName(), this.pool, (pool) -> recent.get(pool).leaks())
                .description(ZeroPoolMeters.LEAKS.description())
                .tags(this.tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, ZeroPoolMeters meter, String result, ToLongFunction<PoolStats> count) {
        RecentStats recent = this.stats;
        FunctionCounter.builder(meter.meterName(), this.pool, (pool) -> count.applyAsLong(recent.get(pool)))
                .description(meter.description())
                .tags(this.tags)
                .tag(ZeroPoolMeters.RESULT_TAG, result)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, ZeroPoolMeters meter, String shard, ToDoubleFunction<PoolStats> value) {
        RecentStats recent = this.stats;
        Gauge.builder(meter.meterName(), this.pool, (pool) -> value.applyAsDouble(recent.get(pool)))
                .description(meter.description())
                .baseUnit(meter.baseUnit())
                .tags(this.tags)
                .tag(ZeroPoolMeters.SHARD_TAG, shard)
                .register(registry);
    }

    /*
     * Every series of a meter name carries the same tag keys (Prometheus requires it), so the buffers
     * outside any shard get a series of their own rather than a tagless total; the series then add up.
     */
    private static double buffersInThreadCaches(PoolStats stats) {
        long inShards = 0;
        for (ShardStats shard : stats.shards()) {
            inShards += shard.buffers();
        }
        return stats.pooledBuffers() - inShards;
    }

    private static double bytesInThreadCaches(PoolStats stats) {
        long inShards = 0;
        for (ShardStats shard : stats.shards()) {
            inShards += shard.bytes();
        }
        return stats.pooledBytes() - inShards;
    }
}
