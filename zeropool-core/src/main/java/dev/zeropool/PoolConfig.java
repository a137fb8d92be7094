package dev.zeropool;

import java.time.Duration;

/**
 * The effective settings of a {@link BufferPool}, after defaults were derived from the machine.
 * Immutable and thread-safe.
 *
 * @param tlsCacheSize       buffers each platform thread may cache for this pool; 0 disables the per-thread cache
 * @param minBufferSize      smallest size class in bytes (a power of two); smaller requests get a buffer of this capacity
 * @param maxBufferSize      largest size class in bytes (a power of two); larger requests get an unpooled buffer
 * @param maxBuffersPerShard buffers one shard holds at most, over all size classes
 * @param numShards          number of shards (a power of two)
 * @param maxPooledBytes     bytes the pool holds at most, shards and per-thread caches together
 * @param pinnedMemory       whether pooled direct memory is locked in RAM (mlock), where the platform allows
 * @param evictionPolicy     what a shard does with a returned buffer when the byte budget binds
 * @param direct             whether the pool hands out direct buffers ({@code false}: heap buffers)
 * @param validation         how thoroughly misuse is checked
 * @param leakDetection      whether buffers never returned are reported
 * @param idleTimeout        how long a buffer may sit unused before {@link BufferPool#trim()} drops it
 * @param clearOnRelease     whether {@code put} zeroes buffers
 */
public record PoolConfig(
        int tlsCacheSize,
        int minBufferSize,
        int maxBufferSize,
        int maxBuffersPerShard,
        int numShards,
        long maxPooledBytes,
        boolean pinnedMemory,
        EvictionPolicy evictionPolicy,
        boolean direct,
        Validation validation,
        LeakDetection leakDetection,
        Duration idleTimeout,
        boolean clearOnRelease) {

    /**
     * The settings of the first release, with the hardening options at their defaults ({@link Validation#FAST},
     * {@link LeakDetection#SAMPLED}, a 60-second idle timeout, no clearing on release). Kept so code written
     * against that release still compiles.
     */
    public PoolConfig(int tlsCacheSize, int minBufferSize, int maxBufferSize, int maxBuffersPerShard, int numShards,
                      long maxPooledBytes, boolean pinnedMemory, EvictionPolicy evictionPolicy, boolean direct) {
        this(tlsCacheSize, minBufferSize, maxBufferSize, maxBuffersPerShard, numShards, maxPooledBytes, pinnedMemory,
                evictionPolicy, direct, Validation.FAST, LeakDetection.SAMPLED,
                BufferPool.Builder.DEFAULT_IDLE_TIMEOUT, false);
    }

    /**
     * The settings a pool built with no options gets on this machine: derived from
     * {@link Runtime#availableProcessors()} and the JVM's memory limits, as {@link BufferPool.Builder} documents.
     *
     * @return the default settings of a direct pool on this JVM
     */
    public static PoolConfig defaults() {
        return BufferPool.builder().toConfig();
    }
}
