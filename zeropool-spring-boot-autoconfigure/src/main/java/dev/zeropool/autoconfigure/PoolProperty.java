package dev.zeropool.autoconfigure;

import java.util.Optional;

/**
 * Which {@code zeropool.*} property sets which {@link dev.zeropool.BufferPool.Builder} option, so that a
 * failure reported in the builder's terms ({@link dev.zeropool.PoolConfigException#option()}) can be
 * reported in the terms the user wrote. A new builder option gets its property here and in
 * {@link ZeroPoolProperties}.
 */
enum PoolProperty {

    SHARDS("numShards", "zeropool.shards", false),
    TLS_CACHE_SIZE("tlsCacheSize", "zeropool.tls-cache-size", false),
    MIN_BUFFER_SIZE("minBufferSize", "zeropool.min-buffer-size", true),
    MAX_BUFFER_SIZE("maxBufferSize", "zeropool.max-buffer-size", true),
    MAX_BUFFERS_PER_SHARD("maxBuffersPerShard", "zeropool.max-buffers-per-shard", false),
    MAX_POOLED_MEMORY("maxPooledBytes", "zeropool.max-pooled-memory", true),
    PINNED_MEMORY("pinnedMemory", "zeropool.pinned-memory", false),
    EVICTION_POLICY("evictionPolicy", "zeropool.eviction-policy", false),
    DIRECT("direct", "zeropool.direct", false),
    VALIDATION("validation", "zeropool.validation", false),
    LEAK_DETECTION("leakDetection", "zeropool.leak-detection", false),
    IDLE_TIMEOUT("idleTimeout", "zeropool.idle-timeout", false),
    CLEAR_ON_RELEASE("clearOnRelease", "zeropool.clear-on-release", false);

    private final String option;
    private final String property;
    private final boolean bytes;

    PoolProperty(String option, String property, boolean bytes) {
        this.option = option;
        this.property = property;
        this.bytes = bytes;
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
        return this.bytes;
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
