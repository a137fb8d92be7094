package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A pool declared {@code @Bean(defaultCandidate = false)}, as the Jetty pools are, is no candidate for
 * injection by type, and Spring Boot's {@code @ConditionalOnBean} does not count it. It still belongs in
 * the trim rounds, the endpoint and the meters, also when it is the only pool ({@code zeropool.enabled=false}).
 */
class NonDefaultCandidatePoolTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                    ZeroPoolEndpointAutoConfiguration.class, ZeroPoolMetricsAutoConfiguration.class,
                    ZeroPoolTrimAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("zeropool.enabled=false", "management.endpoints.web.exposure.include=zeropool");

    @Test
    void aPoolThatIsNoDefaultCandidateIsTrimmedShownAndMeteredWithoutTheMainPool() {
        this.runner.withUserConfiguration(SidePool.class).run((context) -> {
            assertThat(context).hasNotFailed().hasBean("sidePool").doesNotHaveBean("bufferPool");
            assertThat(context).hasSingleBean(BufferPoolTrimmer.class).hasSingleBean(ZeroPoolEndpoint.class)
                    .hasSingleBean(BufferPoolsMeterBinder.class);
            assertThat(context.getBean(ZeroPoolEndpoint.class).pools().pools()).containsOnlyKeys("sidePool");
        });
    }

    @Test
    void withNoPoolAtAllThereIsNothingToTrimShowOrMeter() {
        this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BufferPool.class)
                .doesNotHaveBean(BufferPoolTrimmer.class).doesNotHaveBean(ZeroPoolEndpoint.class)
                .doesNotHaveBean(BufferPoolsMeterBinder.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class SidePool {

        @Bean(destroyMethod = "close", defaultCandidate = false)
        BufferPool sidePool() {
            return BufferPool.builder().build();
        }
    }
}
