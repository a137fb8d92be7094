package dev.zeropool.autoconfigure;

import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * Every meter {@link BufferPoolMetrics} registers: the one place its names, types and units are
 * written down. Every meter has the tag {@code pool} (the {@link dev.zeropool.BufferPool} bean name).
 * In Prometheus the dots become underscores and counters get {@code _total}
 * ({@code zeropool_gets_total}, {@code zeropool_pooled_bytes}).
 */
public enum ZeroPoolMeters {

    /** Function counter of {@code get} calls, tagged {@code result}: {@code tls_hit}, {@code shard_hit}, {@code miss}. */
    GETS("zeropool.gets", "counter", null,
            "Buffers taken: from the thread's own cache (tls_hit), from a shard (shard_hit), or newly allocated (miss)"),

    /** Function counter of {@code put} calls, tagged {@code result}: {@code kept}, {@code dropped}, {@code rejected}. */
    PUTS("zeropool.puts", "counter", null,
            "Buffers handed back: kept by the pool, dropped to the garbage collector, or rejected as misuse"),

    /**
     * Gauge of buffers the pool holds now, tagged {@code shard}: the shard's index, or {@code tls} for all
     * per-thread caches together. The series of one pool add up to all the buffers it holds.
     */
    POOLED_BUFFERS("zeropool.pooled.buffers", "gauge", "buffers",
            "Buffers the pool holds now, per shard (tls: the per-thread caches)"),

    /** Gauge of bytes held in the pooled buffers, tagged {@code shard} as {@link #POOLED_BUFFERS}. */
    POOLED_BYTES("zeropool.pooled.bytes", "gauge", BaseUnits.BYTES,
            "Bytes held in the buffers the pool holds now, per shard (tls: the per-thread caches)"),

    /** Function counter of bytes of every buffer the pool allocated: it only grows, so a counter. */
    ALLOCATED_BYTES("zeropool.allocated.bytes", "counter", BaseUnits.BYTES,
            "Bytes of every buffer the pool allocated since it was built"),

    /** Gauge of bytes locked in RAM now (0 unless pinned memory is on and permitted). */
    PINNED_BYTES("zeropool.pinned.bytes", "gauge", BaseUnits.BYTES,
            "Bytes of pooled memory locked in RAM now"),

    /**
     * Function counter of buffers found leaked: taken, never put back, and collected. Only buffers leak
     * detection tracked are found, so under {@code sampled} detection it is a lower bound; any increase
     * is a bug worth the logged stack.
     */
    LEAKS("zeropool.leaks", "counter", null,
            "Buffers taken, never put back, and collected, as found by leak detection");

    /** Tag naming the pool: the {@link dev.zeropool.BufferPool} bean name. On every meter. */
    public static final String POOL_TAG = "pool";

    /** Tag of {@link #GETS} and {@link #PUTS} naming the outcome. */
    public static final String RESULT_TAG = "result";

    /** Tag of {@link #POOLED_BUFFERS} and {@link #POOLED_BYTES}: a shard index or {@code tls}. */
    public static final String SHARD_TAG = "shard";

    private final String meterName;
    private final String type;
    private final String baseUnit;
    private final String description;

    ZeroPoolMeters(String meterName, String type, String baseUnit, String description) {
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.description = description;
    }

    /** @return the meter name, lowercase and dotted, e.g. {@code zeropool.gets} */
    public String meterName() {
        return this.meterName;
    }

    /** @return {@code counter} or {@code gauge} */
    public String type() {
        return this.type;
    }

    /** @return the base unit, or {@code null} for a count of calls */
    public String baseUnit() {
        return this.baseUnit;
    }

    /** @return the description registered with the meter */
    public String description() {
        return this.description;
    }
}
