package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import dev.zeropool.EvictionPolicy;
import dev.zeropool.LeakDetection;
import dev.zeropool.PoolConfig;
import dev.zeropool.PoolStats;
import dev.zeropool.ShardStats;
import dev.zeropool.SizeClassStats;
import dev.zeropool.Validation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code zeropool} actuator endpoint: a read-only view of every {@link BufferPool} bean, by bean
 * name, with its effective settings and a fresh {@link PoolStats} snapshot. Works over HTTP
 * ({@code /actuator/zeropool}, {@code /actuator/zeropool/{pool}}) and JMX wherever the application
 * exposes it. Thread-safe: each call takes new snapshots and returns immutable records.
 */
@Endpoint(id = "zeropool")
public class ZeroPoolEndpoint {

    private final Map<String, BufferPool> pools;

    /**
     * @param pools the pools to show, by bean name; the map is copied and sorted by name
     */
    public ZeroPoolEndpoint(Map<String, BufferPool> pools) {
        this.pools = Collections.unmodifiableMap(new TreeMap<>(pools));
    }

    /**
     * @return every pool, sorted by bean name
     */
    @ReadOperation
    public PoolsDescriptor pools() {
        Map<String, PoolDescriptor> described = new TreeMap<>();
        this.pools.forEach((name, pool) -> described.put(name, PoolDescriptor.of(pool)));
        return new PoolsDescriptor(Collections.unmodifiableMap(described));
    }

    /**
     * @param name a {@link BufferPool} bean name
     * @return that pool, or {@code null} (HTTP 404) when there is no such pool
     */
    @ReadOperation
    public PoolDescriptor pool(@Selector String name) {
        BufferPool pool = this.pools.get(name);
        return (pool != null) ? PoolDescriptor.of(pool) : null;
    }

    /**
     * Every pool of the application.
     *
     * @param pools the pools, by bean name, sorted
     */
    public record PoolsDescriptor(Map<String, PoolDescriptor> pools) implements OperationResponseBody {
    }

    /**
     * One pool: its settings and one consistent snapshot of its numbers.
     *
     * @param config         the effective settings, after defaults
     * @param closed         whether the pool was closed
     * @param totals         cumulative {@code get}/{@code put} counts since the pool was built
     * @param hitRate        share of {@code get}s served without allocating, from 0 to 1
     * @param tlsHitRate     share of {@code get}s served by the calling thread's own cache, from 0 to 1
     * @param pooledBuffers  buffers the pool holds now
     * @param pooledBytes    bytes held in those buffers
     * @param allocatedBytes bytes of every buffer the pool allocated since it was built
     * @param pinnedBytes    bytes locked in RAM now
     * @param shards         each shard, by index
     * @param sizeClasses    each size class in use, by capacity
     */
    public record PoolDescriptor(ConfigDescriptor config, boolean closed, Totals totals, double hitRate,
            double tlsHitRate, long pooledBuffers, long pooledBytes, long allocatedBytes, long pinnedBytes,
            List<ShardDescriptor> shards, List<SizeClassDescriptor> sizeClasses) implements OperationResponseBody {

        static PoolDescriptor of(BufferPool pool) {
            PoolStats stats = pool.stats();
            return new PoolDescriptor(ConfigDescriptor.of(pool.config()), pool.isClosed(), Totals.of(stats), stats.hitRate(),
                    stats.tlsHitRate(), stats.pooledBuffers(), stats.pooledBytes(), stats.allocatedBytes(),
                    stats.pinnedBytes(), stats.shards().stream().map(ShardDescriptor::of).toList(),
                    stats.sizeClasses().stream().map(SizeClassDescriptor::of).toList());
        }
    }

    /**
     * The effective settings of a pool, as {@link PoolConfig} holds them, in types that plain Jackson and
     * JMX can write: the endpoint's own shape, so that a new core setting changes this response only when
     * it is added here. Enums are written by name ({@code CLOCK_PRO}, {@code FAST}), sizes in bytes.
     *
     * @param tlsCacheSize       buffers each platform thread may cache; 0: no per-thread cache
     * @param minBufferSize      smallest size class, in bytes
     * @param maxBufferSize      largest size class, in bytes; larger requests are not pooled
     * @param maxBuffersPerShard buffers one shard holds at most
     * @param numShards          number of shards
     * @param maxPooledBytes     bytes the pool holds at most
     * @param pinnedMemory       whether pooled direct memory is locked in RAM where the platform allows
     * @param evictionPolicy     what a full shard does with a returned buffer
     * @param direct             whether the pool hands out direct buffers
     * @param validation         how thoroughly misuse is checked
     * @param leakDetection      whether buffers never returned are reported
     * @param idleTimeout        how long a buffer may sit unused before a trim drops it, as an ISO-8601
     *                           duration ({@code PT1M}; {@link java.time.Duration#parse} reads it back)
     * @param clearOnRelease     whether {@code put} zeroes buffers
     */
    public record ConfigDescriptor(int tlsCacheSize, int minBufferSize, int maxBufferSize, int maxBuffersPerShard,
            int numShards, long maxPooledBytes, boolean pinnedMemory, EvictionPolicy evictionPolicy, boolean direct,
            Validation validation, LeakDetection leakDetection, String idleTimeout, boolean clearOnRelease) {

        static ConfigDescriptor of(PoolConfig config) {
            return new ConfigDescriptor(config.tlsCacheSize(), config.minBufferSize(), config.maxBufferSize(),
                    config.maxBuffersPerShard(), config.numShards(), config.maxPooledBytes(), config.pinnedMemory(),
                    config.evictionPolicy(), config.direct(), config.validation(), config.leakDetection(),
                    config.idleTimeout().toString(), config.clearOnRelease());
        }
    }

    /**
     * Cumulative counts since the pool was built. {@code gets = tlsHits + shardHits + misses} and
     * {@code puts = kept + dropped + rejected}.
     *
     * @param gets      calls to {@code get}
     * @param tlsHits   {@code get}s served by the calling thread's own cache
     * @param shardHits {@code get}s served by a shard
     * @param misses    {@code get}s that allocated
     * @param puts      calls to {@code put}
     * @param kept      {@code put}s whose buffer the pool kept
     * @param dropped   {@code put}s whose buffer the pool let go (full, unpooled size, closed)
     * @param rejected  {@code put}s refused with an exception
     * @param evictions buffers the shards dropped for want of room
     * @param leaks     buffers found leaked: taken, never put back, and collected (counted only where leak
     *                  detection tracked them, so a lower bound under {@code SAMPLED})
     */
    public record Totals(long gets, long tlsHits, long shardHits, long misses, long puts, long kept, long dropped,
            long rejected, long evictions, long leaks) {

        static Totals of(PoolStats stats) {
            return new Totals(stats.gets(), stats.tlsHits(), stats.shardHits(), stats.misses(), stats.puts(),
                    stats.kept(), stats.dropped(), stats.rejected(), stats.evictions(), stats.leaks());
        }
    }

    /**
     * One shard.
     *
     * @param index     the shard's index
     * @param buffers   buffers it holds now
     * @param bytes     bytes held in them
     * @param capacity  buffers it may hold
     * @param occupancy {@code buffers / capacity}, from 0 to 1
     * @param hits      {@code get}s it served
     * @param misses    {@code get}s homed on it that allocated
     * @param evictions buffers it dropped for want of room
     */
    public record ShardDescriptor(int index, int buffers, long bytes, int capacity, double occupancy, long hits,
            long misses, long evictions) {

        static ShardDescriptor of(ShardStats shard) {
            return new ShardDescriptor(shard.index(), shard.buffers(), shard.bytes(), shard.capacity(),
                    shard.occupancy(), shard.hits(), shard.misses(), shard.evictions());
        }
    }

    /**
     * One size class, over shards and per-thread caches.
     *
     * @param capacity      bytes of each buffer of the class
     * @param pooledBuffers buffers of the class the pool holds now
     * @param pooledBytes   bytes held in them
     * @param gets          {@code get}s of the class
     * @param tlsHits       of which served by a per-thread cache
     * @param shardHits     of which served by a shard
     * @param misses        of which allocated
     * @param evictions     buffers of the class the shards dropped for want of room
     */
    public record SizeClassDescriptor(int capacity, int pooledBuffers, long pooledBytes, long gets, long tlsHits,
            long shardHits, long misses, long evictions) {

        static SizeClassDescriptor of(SizeClassStats sizeClass) {
            return new SizeClassDescriptor(sizeClass.capacity(), sizeClass.pooledBuffers(), sizeClass.pooledBytes(),
                    sizeClass.gets(), sizeClass.tlsHits(), sizeClass.shardHits(), sizeClass.misses(),
                    sizeClass.evictions());
        }
    }
}
