package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binds a {@link BufferPoolMetrics} for each of several pools, named by their bean names. A bean of
 * this type replaces the auto-configured one (to bind fewer pools, for instance).
 */
public class BufferPoolsMeterBinder implements MeterBinder {

    private final Map<String, BufferPool> pools;

    /**
     * @param pools the pools to observe, by name; copied
     */
    public BufferPoolsMeterBinder(Map<String, BufferPool> pools) {
        this.pools = new TreeMap<>(pools);
    }

    /** Registers the meters of every pool, tagged {@code pool=<name>}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        this.pools.forEach((name, pool) -> new BufferPoolMetrics(pool, name).bindTo(registry));
    }
}
