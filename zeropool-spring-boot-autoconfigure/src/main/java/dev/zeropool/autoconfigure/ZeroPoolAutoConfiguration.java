package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures one {@link BufferPool} bean from the {@code zeropool.*} properties and every
 * {@link ZeroPoolBuilderCustomizer} bean. Backs off when the application defines its own
 * {@code BufferPool}, and is off with {@code zeropool.enabled=false}. The pool is closed with the
 * application context, which drops every buffer it holds.
 *
 * <p>The actuator endpoint and the Micrometer meters are configured separately
 * ({@link ZeroPoolEndpointAutoConfiguration}, {@link ZeroPoolMetricsAutoConfiguration}), so that this
 * configuration needs neither the actuator nor Micrometer.
 */
@AutoConfiguration
@ConditionalOnClass(BufferPool.class)
@ConditionalOnSwitch("zeropool.enabled")
@EnableConfigurationProperties(ZeroPoolProperties.class)
public class ZeroPoolAutoConfiguration {

    /**
     * The pool, built once from the properties, then adjusted by the customizers in order.
     *
     * @param properties the bound {@code zeropool.*} properties
     * @param customizers the customizer beans, applied last
     * @return the pool; closed when the context closes
     * @throws dev.zeropool.PoolConfigException if a setting is out of range (reported by
     *     {@link ZeroPoolFailureAnalyzer} in property terms)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public BufferPool bufferPool(ZeroPoolProperties properties, ObjectProvider<ZeroPoolBuilderCustomizer> customizers) {
        BufferPool.Builder builder = BufferPool.builder();
        PoolBuilderProperties.apply(properties, builder);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }
}
