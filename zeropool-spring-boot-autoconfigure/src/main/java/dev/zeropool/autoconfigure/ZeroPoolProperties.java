package dev.zeropool.autoconfigure;

import dev.zeropool.EvictionPolicy;
import dev.zeropool.LeakDetection;
import dev.zeropool.Validation;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the auto-configured {@link dev.zeropool.BufferPool}, bound to {@code zeropool.*}.
 *
 * <p>Every pool setting is nullable and starts out {@code null}: an unset property leaves the pool's own
 * default in force (most are derived from the CPU count and the JVM's memory limits), so this class
 * never holds a second copy of those defaults. The one exception is {@code trim-interval}, which is not
 * a pool setting but the auto-configuration's own schedule. {@code zeropool.enabled},
 * {@code zeropool.trim.enabled} and {@code zeropool.metrics.enabled} are read by conditions only and
 * are documented in {@code additional-spring-configuration-metadata.json}.
 *
 * <p>A mutable JavaBean for the binder; not thread-safe, and not meant to change after binding.
 */
@ConfigurationProperties("zeropool")
public class ZeroPoolProperties {

    /**
     * Number of shards, a power of two from 1 to 1024. When not set, the next power of two at or
     * above twice the CPU count, within 8 to 256.
     */
    private Integer shards;

    /**
     * Buffers each platform thread may cache for the pool, from 0 to 1024; 0 disables the per-thread
     * cache. When not set, 4.
     */
    private Integer tlsCacheSize;

    /**
     * Smallest buffer size class, a power of two from 16B to 1GB; smaller requests get a buffer of this
     * capacity. When not set, 4KB.
     */
    private DataSize minBufferSize;

    /**
     * Largest buffer size class, a power of two from min-buffer-size to 1GB; larger requests get a
     * fresh buffer that is not pooled. When not set, 64MB, or min-buffer-size if that is larger.
     */
    private DataSize maxBufferSize;

    /**
     * Buffers one shard holds at most, over all size classes, from 1 to 2147483647. When not set,
     * max-pooled-memory divided by min-buffer-size, so that only the memory bound decides what is kept.
     */
    private Integer maxBuffersPerShard;

    /**
     * Memory the pool holds at most, shards and per-thread caches together. When not set, a quarter of
     * the JVM's direct-memory limit (a quarter of the heap maximum for heap buffers).
     */
    private DataSize maxPooledMemory;

    /**
     * Whether to lock pooled direct memory in RAM so it is never swapped out. Needs Linux and JNA on
     * the class path; without them the buffers work unpinned. When not set, false.
     */
    private Boolean pinnedMemory;

    /**
     * What a full shard does with a returned buffer. When not set, clock-pro.
     */
    private EvictionPolicy evictionPolicy;

    /**
     * Whether the pool hands out direct buffers rather than heap buffers. When not set, true.
     */
    private Boolean direct;

    /**
     * How thoroughly the pool checks for misuse: off, fast (constant-time checks, catches a buffer put
     * twice by one thread) or strict (for tests and staging: catches double puts from any thread, foreign
     * buffers, views of pooled buffers and writes after put, at microseconds per call). When not set, fast.
     */
    private Validation validation;

    /**
     * Whether buffers taken and never put back are reported (logged with the stack of the get that took
     * them, and counted): off, sampled (about one get in 4096 is tracked) or all. When not set, sampled.
     */
    private LeakDetection leakDetection;

    /**
     * How long a buffer may sit unused in the pool before a trim drops it, above 0 and at most 365 days.
     * When not set, 60s.
     */
    private Duration idleTimeout;

    /**
     * Whether the pool zeroes every buffer when it is put back, so one holder's data never reaches the
     * next. Costs a pass over the buffer per put. When not set, false.
     */
    private Boolean clearOnRelease;

    /**
     * How often every BufferPool bean is trimmed of buffers idle longer than its idle-timeout, above 0. A
     * buffer is dropped at most this much later than its idle timeout.
     */
    private Duration trimInterval = Duration.ofSeconds(30);

    private final Jetty jetty = new Jetty();

    public Integer getShards() {
        return this.shards;
    }

    public void setShards(Integer shards) {
        this.shards = shards;
    }

    public Integer getTlsCacheSize() {
        return this.tlsCacheSize;
    }

    public void setTlsCacheSize(Integer tlsCacheSize) {
        this.tlsCacheSize = tlsCacheSize;
    }

    public DataSize getMinBufferSize() {
        return this.minBufferSize;
    }

    public void setMinBufferSize(DataSize minBufferSize) {
        this.minBufferSize = minBufferSize;
    }

    public DataSize getMaxBufferSize() {
        return this.maxBufferSize;
    }

    public void setMaxBufferSize(DataSize maxBufferSize) {
        this.maxBufferSize = maxBufferSize;
    }

    public Integer getMaxBuffersPerShard() {
        return this.maxBuffersPerShard;
    }

    public void setMaxBuffersPerShard(Integer maxBuffersPerShard) {
        this.maxBuffersPerShard = maxBuffersPerShard;
    }

    public DataSize getMaxPooledMemory() {
        return this.maxPooledMemory;
    }

    public void setMaxPooledMemory(DataSize maxPooledMemory) {
        this.maxPooledMemory = maxPooledMemory;
    }

    public Boolean getPinnedMemory() {
        return this.pinnedMemory;
    }

    public void setPinnedMemory(Boolean pinnedMemory) {
        this.pinnedMemory = pinnedMemory;
    }

    public EvictionPolicy getEvictionPolicy() {
        return this.evictionPolicy;
    }

    public void setEvictionPolicy(EvictionPolicy evictionPolicy) {
        this.evictionPolicy = evictionPolicy;
    }

    public Boolean getDirect() {
        return this.direct;
    }

    public void setDirect(Boolean direct) {
        this.direct = direct;
    }

    public Validation getValidation() {
        return this.validation;
    }

    public void setValidation(Validation validation) {
        this.validation = validation;
    }

    public LeakDetection getLeakDetection() {
        return this.leakDetection;
    }

    public void setLeakDetection(LeakDetection leakDetection) {
        this.leakDetection = leakDetection;
    }

    public Duration getIdleTimeout() {
        return this.idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Boolean getClearOnRelease() {
        return this.clearOnRelease;
    }

    public void setClearOnRelease(Boolean clearOnRelease) {
        this.clearOnRelease = clearOnRelease;
    }

    public Duration getTrimInterval() {
        return this.trimInterval;
    }

    public void setTrimInterval(Duration trimInterval) {
        this.trimInterval = trimInterval;
    }

    public Jetty getJetty() {
        return this.jetty;
    }

    /** Settings of the two pools behind an embedded Jetty server's connectors, {@code zeropool.jetty.*}. */
    public static class Jetty {

        /**
         * Whether an embedded Jetty server's connectors take their buffers from ZeroPool: two pools, beans
         * "jettyDirectBufferPool" and "jettyHeapBufferPool", set up like the main pool from zeropool.*.
         * Needs zeropool-jetty on the class path. When not set (or set to an empty value), false: Jetty keeps
         * its own pool.
         */
        private Boolean enabled = false; // a Boolean, not a boolean: an empty value binds as not set, keeping this

        /**
         * Memory each of the two Jetty pools holds at most. When not set, zeropool.max-pooled-memory if set,
         * else the pool's default (a quarter of the direct-memory limit, a quarter of the heap maximum).
         */
        private DataSize maxPooledMemory;

        /** @return whether set to true; false when not set */
        public boolean isEnabled() {
            return Boolean.TRUE.equals(this.enabled);
        }

        /** @param enabled the switch's value, {@code null} for not set */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public DataSize getMaxPooledMemory() {
            return this.maxPooledMemory;
        }

        public void setMaxPooledMemory(DataSize maxPooledMemory) {
            this.maxPooledMemory = maxPooledMemory;
        }
    }
}
