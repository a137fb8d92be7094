package dev.zeropool.starter.jetty.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import dev.zeropool.starter.jetty.JettyApps;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An application's own Jetty factory (where Boot's server customizer beans do not apply) runs on the pools. */
class JettyConnectorKindsTests {

    /** An application that declares its own Jetty factory (Boot's EmbeddedJetty then backs off). */
    @Test
    void anApplicationsOwnJettyFactoryIsOnTheZeroPoolPools() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcApplication.class,
                OwnFactory.class).properties("server.port=0", "spring.jmx.enabled=false",
                        "zeropool.jetty.enabled=true").run()) {
            assertThat(JettyApps.connectorPool(context)).isInstanceOf(ZeroPoolByteBufferPool.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {

        @Bean
        JettyServletWebServerFactory jettyServletWebServerFactory() {
            return new JettyServletWebServerFactory();
        }
    }
}
