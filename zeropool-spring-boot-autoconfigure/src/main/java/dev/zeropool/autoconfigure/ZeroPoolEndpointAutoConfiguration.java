package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link ZeroPoolEndpoint} when the actuator is on the class path, a
 * {@link BufferPool} bean exists, and the application makes the endpoint available (Spring Boot's
 * {@code management.endpoints.*} rules: not exposed over HTTP unless included).
 */
@AutoConfiguration(after = ZeroPoolAutoConfiguration.class)
@ConditionalOnClass({ BufferPool.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(BufferPool.class)
public class ZeroPoolEndpointAutoConfiguration {

    /**
     * @param beanFactory for every {@link BufferPool} bean, by name (see {@link BufferPoolBeans})
     * @return the endpoint over those pools
     */
    // On the method, not the class: the class's conditions are all resolved before any is evaluated, so
    // this one, from actuator-autoconfigure, would break start-up where @ConditionalOnClass should skip.
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public ZeroPoolEndpoint zeroPoolEndpoint(ListableBeanFactory beanFactory) {
        return new ZeroPoolEndpoint(BufferPoolBeans.of(beanFactory));
    }
}
