package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import java.util.function.Consumer;
import org.springframework.util.unit.DataSize;

/**
 * Applies {@link ZeroPoolProperties} to a {@link BufferPool.Builder}. Only properties that are set reach
 * the builder: an unset one leaves the builder's own default in force. Stateless.
 */
final class PoolBuilderProperties {

    private PoolBuilderProperties() {
    }

    /**
     * @throws InvalidPoolPropertyException if a size property does not fit in the builder's {@code int}
     */
    static void apply(ZeroPoolProperties properties, BufferPool.Builder builder) {
        whenSet(properties.getShards(), builder::numShards);
        whenSet(properties.getTlsCacheSize(), builder::tlsCacheSize);
        whenSet(properties.getMinBufferSize(),
                (size) -> builder.minBufferSize(intBytes(size, PoolProperty.MIN_BUFFER_SIZE)));
        whenSet(properties.getMaxBufferSize(),
                (size) -> builder.maxBufferSize(intBytes(size, PoolProperty.MAX_BUFFER_SIZE)));
        whenSet(properties.getMaxBuffersPerShard(), builder::maxBuffersPerShard);
        whenSet(properties.getMaxPooledMemory(), (size) -> builder.maxPooledBytes(size.toBytes()));
        whenSet(properties.getPinnedMemory(), builder::pinnedMemory);
        whenSet(properties.getEvictionPolicy(), builder::evictionPolicy);
        whenSet(properties.getDirect(), builder::direct);
        whenSet(properties.getValidation(), builder::validation);
        whenSet(properties.getLeakDetection(), builder::leakDetection);
        whenSet(properties.getIdleTimeout(), builder::idleTimeout);
        whenSet(properties.getClearOnRelease(), builder::clearOnRelease);
    }

    /*
     * Not Spring Boot's PropertyMapper: the one starter runs on Boot 3.5 and Boot 4, and the mapper's
     * null handling is spelled differently on each (Boot 4 removed alwaysApplyingWhenNonNull(), and
     * skips nulls by default where Boot 3.5 passes them on), so no one call means "only when set" on both.
     */
    private static <T> void whenSet(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /**
     * The builder takes buffer sizes as {@code int}; a larger {@link DataSize} would silently wrap
     * around if cast, so it is refused here with the property's name instead.
     */
    private static int intBytes(DataSize size, PoolProperty property) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE || bytes < Integer.MIN_VALUE) {
            // The pool's own rule, which it would state for a value within an int (a test keeps the two alike):
            // a bound the user could meet and still be refused by (an int's range) would be no help.
            String low = (property == PoolProperty.MIN_BUFFER_SIZE) ? "16" : PoolProperty.MIN_BUFFER_SIZE.property();
            throw new InvalidPoolPropertyException(property.property(), size.toString(),
                    "a power of two in [" + low + ", 1073741824] bytes");
        }
        return (int) bytes;
    }
}
