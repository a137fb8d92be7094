package dev.zeropool.starter.jetty.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import dev.zeropool.starter.jetty.JettyApps;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connectors Boot builds other than the plain one: its TLS connector (a subclass of ServerConnector), and
 * an application's own Jetty factory (where Boot's does not apply its customizer beans): both must run on
 * the ZeroPool pools.
 */
class JettyConnectorKindsTests {

    @TempDir
    static Path dir;

    /** server.ssl.*: Boot 3.5 builds its TLS connector as SslServerCustomizer.SslValidatingServerConnector. */
    @Test
    void aTlsConnectorBootBuiltIsOnTheZeroPoolPools() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process keytoolRun = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "secret1", "-keypass", "secret1").inheritIO().start();
        assertThat(keytoolRun.waitFor()).isZero();
        assertThat(Files.exists(keystore)).isTrue();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcApplication.class)
                .properties("server.port=0", "spring.jmx.enabled=false", "zeropool.jetty.enabled=true",
                        "server.ssl.enabled=true", "server.ssl.key-store=file:" + keystore,
                        "server.ssl.key-store-password=secret1", "server.ssl.key-store-type=PKCS12",
                        "server.ssl.key-alias=server")
                .run()) {
            Connector[] connectors = JettyApps.server(context).getConnectors();
            assertThat(connectors).hasSize(1);
            assertThat(connectors[0].getByteBufferPool()).as("TLS connector %s", connectors[0].getClass())
                    .isInstanceOf(ZeroPoolByteBufferPool.class);
        }
    }

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
