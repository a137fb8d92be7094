package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link BufferPoolTrimmer} that trims every {@link BufferPool} bean of the context
 * every {@code zeropool.trim-interval} (30 seconds unless set), the auto-configured pool and the
 * application's own alike, as the endpoint and the meters cover them all. Off with
 * {@code zeropool.trim.enabled=false}.
 */
// after the Jetty pools too, whose conditions may skip it: by name, so that ordering never loads a class
// whose methods name Jetty types
@AutoConfiguration(after = ZeroPoolAutoConfiguration.class,
        afterName = "dev.zeropool.autoconfigure.ZeroPoolJettyAutoConfiguration")
@ConditionalOnClass(BufferPool.class)
@ConditionalOnBufferPoolBean
@ConditionalOnSwitch("zeropool.trim.enabled")
@EnableConfigurationProperties(ZeroPoolProperties.class)
public class ZeroPoolTrimAutoConfiguration {

    /**
     * @param beanFactory for every {@link BufferPool} bean, by name (see {@link BufferPoolBeans})
     * @param properties the bound {@code zeropool.*} properties, for {@code trim-interval}
     * @return the trimmer, started with the context and stopped when it closes
     * @throws InvalidPoolPropertyException if {@code zeropool.trim-interval} is not above 0
     */
    @Bean
    @ConditionalOnMissingBean
    public BufferPoolTrimmer bufferPoolTrimmer(ListableBeanFactory beanFactory, ZeroPoolProperties properties) {
        Duration interval = properties.getTrimInterval();
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new InvalidPoolPropertyException("zeropool.trim-interval", String.valueOf(interval),
                    "a duration above 0", "The pool trimmer could not be started");
        }
        return new BufferPoolTrimmer(BufferPoolBeans.of(beanFactory), interval);
    }
}
