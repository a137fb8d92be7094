package dev.zeropool.autoconfigure;

import java.util.Optional;
import java.util.function.Function;
import org.springframework.util.unit.DataSize;

/**
 * Which {@code zeropool.*} property sets which {@link dev.zeropool.BufferPool.Builder} option, so that a
 * failure reported in the builder's terms ({@link dev.zeropool.PoolConfigException#option()}) can be
 * reported in the terms the user wrote. A new builder option gets its property here and in
 * {@link ZeroPoolProperties}.
 */
enum PoolProperty {

    SHARDS("numShards", "zeropool.shards", ZeroPoolProperties::getShards),
    TLS_CACHE_SIZE("tlsCacheSize", "zeropool.tls-cache-size", ZeroPoolProperties::getTlsCacheSize),
    MIN_BUFFER_SIZE("minBufferSize", "zeropool.min-buffer-size", ZeroPoolProperties::getMinBufferSize),
    MAX_BUFFER_SIZE("maxBufferSize", "zeropool.max-buffer-size", ZeroPoolProperties::getMaxBufferSize),
    MAX_BUFFERS_PER_SHARD("maxBuffersPerShard", "zeropool.max-buffers-per-shard",
            ZeroPoolProperties::getMaxBuffersPerShard),
    MAX_POOLED_MEMORY("maxPooledBytes", "zeropool.max-pooled-memory", ZeroPoolProperties::getMaxPooledMemory),
    PINNED_MEMORY("pinnedMemory", "zeropool.pinned-memory", ZeroPoolProperties::getPinnedMemory),
    EVICTION_POLICY("evictionPolicy", "zeropool.eviction-policy", ZeroPoolProperties::getEvictionPolicy),
    DIRECT("direct", "zeropool.direct", ZeroPoolProperties::getDirect),
    VALIDATION("validation", "zeropool.validation", ZeroPoolProperties::getValidation),
    LEAK_DETECTION("leakDetection", "zeropool.leak-detection", ZeroPoolProperties::getLeakDetection),
    IDLE_TIMEOUT("idleTimeout", "zeropool.idle-timeout", ZeroPoolProperties::getIdleTimeout),
    CLEAR_ON_RELEASE("clearOnRelease", "zeropool.clear-on-release", ZeroPoolProperties::getClearOnRelease);

    private final String option;
    private final String property;
    private final Function<ZeroPoolProperties, Object> bound;

    PoolProperty(String option, String property, Function<ZeroPoolProperties, Object> bound) {
        this.option = option;
        this.property = property;
        this.bound = bound;
    }

    /** @return the property for a builder option name, if any property sets it */
    static Optional<PoolProperty> forOption(String option) {
        for (PoolProperty candidate : values()) {
            if (candidate.option.equals(option)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @return the property of that full name, e.g. {@code zeropool.shards}, if it is a pool setting */
    static Optional<PoolProperty> forProperty(String property) {
        for (PoolProperty candidate : values()) {
            if (candidate.property.equals(property)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @return the builder method's name, e.g. {@code numShards} */
    String option() {
        return this.option;
    }

    /** @return the full property name, e.g. {@code zeropool.shards} */
    String property() {
        return this.property;
    }

    /** @return whether the property is a {@code DataSize} that the builder takes in bytes */
    boolean isBytes() {
        return this == MIN_BUFFER_SIZE || this == MAX_BUFFER_SIZE || this == MAX_POOLED_MEMORY;
    }

    /**
     * @return the value the starter passes to the builder for this property, as
     *     {@link dev.zeropool.PoolConfigException#value()} writes it (a size in bytes), or {@code null} if unset
     */
    String builderValue(ZeroPoolProperties properties) {
        Object value = this.bound.apply(properties);
        if (value == null) {
            return null;
        }
        return String.valueOf((value instanceof DataSize size) ? size.toBytes() : value);
    }

    /**
     * Rewrites builder option names in a text (such as {@code "[minBufferSize 1048576, 1073741824]"})
     * into property names, so a message speaks only of what the user can set.
     */
    static String inPropertyTerms(String text) {
        String result = text;
        for (PoolProperty candidate : values()) {
            result = result.replace(candidate.option, candidate.property);
        }
        return result;
    }
}
