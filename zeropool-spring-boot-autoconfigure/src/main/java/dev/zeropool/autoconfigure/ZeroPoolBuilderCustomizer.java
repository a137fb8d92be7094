package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;

/**
 * Adjusts the builder of the auto-configured {@link BufferPool} in code. Every bean of this type is
 * called, in {@link org.springframework.core.annotation.Order order}, after the {@code zeropool.*}
 * properties were applied and before the pool is built, so a customizer has the last word.
 */
@FunctionalInterface
public interface ZeroPoolBuilderCustomizer {

    /**
     * Adjusts the builder. Called once, on the thread creating the {@link BufferPool} bean.
     *
     * @param builder the builder, with the {@code zeropool.*} properties already applied
     */
    void customize(BufferPool.Builder builder);
}
