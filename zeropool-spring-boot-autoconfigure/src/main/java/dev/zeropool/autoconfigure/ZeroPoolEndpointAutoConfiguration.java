package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link ZeroPoolEndpoint} when the actuator is on the class path, a
 * {@link BufferPool} bean exists (of any kind, see {@link ConditionalOnBufferPoolBean}), and the application makes the endpoint available (Spring Boot's
 * {@code management.endpoints.*} rules: not exposed over HTTP unless included).
 */
// after the Jetty pools too, whose conditions may skip it: by name, so that ordering never loads a class
// whose methods name Jetty types
@AutoConfiguration(after = ZeroPoolAutoConfiguration.class,
        afterName = "dev.zeropool.autoconfigure.ZeroPoolJettyAutoConfiguration")
@ConditionalOnClass({ BufferPool.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBufferPoolBean
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
