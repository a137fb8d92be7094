package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link ZeroPoolMeters meters} of every {@link BufferPool} bean, tagged
 * {@code pool=<bean name>}, when Micrometer is on the class path and a {@link MeterRegistry} bean exists.
 * Spring Boot's metrics support binds the {@link MeterBinder} bean to the registries, as it does for its
 * own binders. Off with {@code zeropool.metrics.enabled=false}.
 */
// By name, not class: Boot 4 moved these into spring-boot-micrometer-metrics, and a class literal of
// either line would not resolve on the other. Names absent from the class path are ignored in ordering.
@AutoConfiguration(after = ZeroPoolAutoConfiguration.class,
        afterName = { "dev.zeropool.autoconfigure.ZeroPoolJettyAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ BufferPool.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBufferPoolBean
@ConditionalOnSwitch("zeropool.metrics.enabled")
public class ZeroPoolMetricsAutoConfiguration {

    /**
     * @param beanFactory for every {@link BufferPool} bean, by name (see {@link BufferPoolBeans})
     * @return a binder registering one {@link BufferPoolMetrics} per pool
     */
    @Bean
    @ConditionalOnMissingBean
    public BufferPoolsMeterBinder bufferPoolsMeterBinder(ListableBeanFactory beanFactory) {
        return new BufferPoolsMeterBinder(BufferPoolBeans.of(beanFactory));
    }
}
