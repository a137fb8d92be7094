package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import org.springframework.boot.context.properties.PropertyMapper;
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
        PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
        map.from(properties::getShards).to(builder::numShards);
        map.from(properties::getTlsCacheSize).to(builder::tlsCacheSize);
        map.from(properties::getMinBufferSize)
                .as((size) -> intBytes(size, PoolProperty.MIN_BUFFER_SIZE))
                .to(builder::minBufferSize);
        map.from(properties::getMaxBufferSize)
                .as((size) -> intBytes(size, PoolProperty.MAX_BUFFER_SIZE))
                .to(builder::maxBufferSize);
        map.from(properties::getMaxBuffersPerShard).to(builder::maxBuffersPerShard);
        map.from(properties::getMaxPooledMemory).as(DataSize::toBytes).to(builder::maxPooledBytes);
        map.from(properties::getPinnedMemory).to(builder::pinnedMemory);
        map.from(properties::getEvictionPolicy).to(builder::evictionPolicy);
        map.from(properties::getDirect).to(builder::direct);
        map.from(properties::getValidation).to(builder::validation);
        map.from(properties::getLeakDetection).to(builder::leakDetection);
        map.from(properties::getIdleTimeout).to(builder::idleTimeout);
        map.from(properties::getClearOnRelease).to(builder::clearOnRelease);
    }

    /**
     * The builder takes buffer sizes as {@code int}; a larger {@link DataSize} would silently wrap
     * around if cast, so it is refused here with the property's name instead.
     */
    private static int intBytes(DataSize size, PoolProperty property) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE || bytes < Integer.MIN_VALUE) {
            throw new InvalidPoolPropertyException(property.property(), size.toString(),
                    "a size of at most " + Integer.MAX_VALUE + "B");
        }
        return (int) bytes;
    }
}
