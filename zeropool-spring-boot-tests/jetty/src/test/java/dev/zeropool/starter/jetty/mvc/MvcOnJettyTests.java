package dev.zeropool.starter.jetty.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import dev.zeropool.autoconfigure.BufferPoolTrimmer;
import dev.zeropool.autoconfigure.BufferPoolsMeterBinder;
import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import dev.zeropool.starter.jetty.JettyApps;
import dev.zeropool.starter.jetty.Traffic;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class MvcOnJettyTests {

    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(MvcApplication.class)
                .properties("server.port=0", "management.endpoints.web.exposure.include=zeropool",
                        "spring.jmx.enabled=false")
                .properties(properties)
                .run();
    }

    @Test
    void connectorsTakeEveryBufferFromTheJettyPoolsAndGiveEveryOneBack() throws Exception {
        try (ConfigurableApplicationContext context = run("zeropool.jetty.enabled=true")) {
            assertThat(JettyApps.connectorPool(context)).isInstanceOf(ZeroPoolByteBufferPool.class);
            ZeroPoolByteBufferPool buffers = (ZeroPoolByteBufferPool) JettyApps.connectorPool(context);
            BufferPool direct = context.getBean(ZeroPoolJettyPools.DIRECT, BufferPool.class);
            BufferPool heap = context.getBean(ZeroPoolJettyPools.HEAP, BufferPool.class);
            assertThat(buffers.directPool()).isSameAs(direct);
            assertThat(buffers.heapPool()).isSameAs(heap);
            long getsBefore = direct.stats().gets() + heap.stats().gets();

            long moved = Traffic.run(JettyApps.port(context), 4, 3, 3 << 20, 2 << 20);

            assertThat(moved).isEqualTo(4L * 3 * ((2L * (3 << 20)) + (2 << 20)));
            long gets = direct.stats().gets() + heap.stats().gets() - getsBefore;
            assertThat(gets).as("buffers taken for %d MiB of traffic", moved >> 20).isGreaterThan(100);
            JettyApps.stopServer(context); // every connection closed: Jetty releases what it held
            assertThat(buffers.getDirectByteBuffersInUse()).isZero();
            assertThat(buffers.getHeapByteBuffersInUse()).isZero();
            for (BufferPool pool : new BufferPool[] {direct, heap}) {
                PoolStats stats = pool.stats();
                assertThat(stats.rejected()).as("misuse rejected by %s", pool).isZero();
                assertThat(stats.puts()).as("every buffer %s handed out came back", pool).isEqualTo(stats.gets());
                assertThat(stats.leaks()).isZero();
            }
        }
    }

    @Test
    void thePoolsAreBeansTheEndpointShowsByNameButInjectionByTypeStillGetsTheMainPool() throws Exception {
        try (ConfigurableApplicationContext context = run("zeropool.jetty.enabled=true")) {
            assertThat(context.getBean(BufferPool.class)).isSameAs(context.getBean("bufferPool"));
            assertThat(context.getBeansOfType(BufferPool.class)).containsOnlyKeys("bufferPool",
                    ZeroPoolJettyPools.DIRECT, ZeroPoolJettyPools.HEAP);
            assertThat(context.getBean(ZeroPoolJettyPools.DIRECT, BufferPool.class).config().direct()).isTrue();
            assertThat(context.getBean(ZeroPoolJettyPools.HEAP, BufferPool.class).config().direct()).isFalse();

            HttpResponse<String> endpoint = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + JettyApps.port(context) + "/actuator/zeropool")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(endpoint.statusCode()).isEqualTo(200);
            assertThat(endpoint.body()).contains("\"bufferPool\"", "\"" + ZeroPoolJettyPools.DIRECT + "\"",
                    "\"" + ZeroPoolJettyPools.HEAP + "\"");
        }
    }

    @Test
    void withTheMainPoolOffTheJettyPoolsAreStillShownMeteredAndTrimmed() throws Exception {
        // zeropool.enabled=false leaves out the main pool, not the Jetty pools, which are beans that are no
        // candidates for injection by type: Boot's @ConditionalOnBean did not count them
        try (ConfigurableApplicationContext context = run("zeropool.enabled=false", "zeropool.jetty.enabled=true")) {
            assertThat(context.getBeansOfType(BufferPool.class)).containsOnlyKeys(ZeroPoolJettyPools.DIRECT,
                    ZeroPoolJettyPools.HEAP);
            assertThat(context.getBeansOfType(BufferPoolTrimmer.class)).as("trimmer").hasSize(1);
            assertThat(context.getBeansOfType(BufferPoolsMeterBinder.class)).as("meter binder").hasSize(1);

            HttpResponse<String> endpoint = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + JettyApps.port(context) + "/actuator/zeropool")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(endpoint.statusCode()).isEqualTo(200);
            assertThat(endpoint.body()).contains("\"" + ZeroPoolJettyPools.DIRECT + "\"",
                    "\"" + ZeroPoolJettyPools.HEAP + "\"").doesNotContain("\"bufferPool\"");
        }
    }

    @Test
    void theApplicationsOwnServerCustomizersSeeTheConnectorsTheServerRuns() {
        // the connectors are rebuilt on the pools by a server customizer: it must run before the
        // application's, or theirs would configure (or keep references to) connectors that are then replaced
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcApplication.class,
                ConnectorWatcher.class).properties("server.port=0", "spring.jmx.enabled=false",
                        "zeropool.jetty.enabled=true").run()) {
            Connector[] connectors = JettyApps.server(context).getConnectors();
            assertThat(connectors).hasSize(1);
            assertThat(connectors[0].getByteBufferPool()).isInstanceOf(ZeroPoolByteBufferPool.class);
            assertThat(context.getBean(ConnectorWatcher.class).seen).containsExactly(connectors);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRebuildGoesFirstAmongAFactorysServerCustomizersOnceHoweverOftenItIsApplied() {
        try (ConfigurableApplicationContext context = run("zeropool.jetty.enabled=true")) {
            WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> zeroPool =
                    context.getBean("zeroPoolJettyCustomizer", WebServerFactoryCustomizer.class);
            JettyServletWebServerFactory factory = new JettyServletWebServerFactory();
            JettyServerCustomizer application = (server) -> { };
            factory.addServerCustomizers(application);

            zeroPool.customize(factory);
            zeroPool.customize(factory);

            List<JettyServerCustomizer> customizers = List.copyOf(factory.getServerCustomizers());
            assertThat(customizers).hasSize(2).endsWith(application);
            assertThat(customizers.get(0).getClass().getName()).isEqualTo("dev.zeropool.autoconfigure.JettyConnectorBuffers");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConnectorWatcher {

        final List<Connector> seen = new CopyOnWriteArrayList<>();

        @Bean
        JettyServerCustomizer watchConnectors() {
            return (server) -> this.seen.addAll(List.of(server.getConnectors()));
        }
    }

    @Test
    void theJettyPoolsTakeTheZeropoolSettingsAndTheirOwnBound() {
        try (ConfigurableApplicationContext context = run("zeropool.jetty.enabled=true",
                "zeropool.jetty.max-pooled-memory=24MB", "zeropool.max-pooled-memory=8MB",
                "zeropool.min-buffer-size=1KB", "zeropool.pinned-memory=true")) {
            BufferPool direct = context.getBean(ZeroPoolJettyPools.DIRECT, BufferPool.class);
            BufferPool heap = context.getBean(ZeroPoolJettyPools.HEAP, BufferPool.class);
            for (BufferPool pool : new BufferPool[] {direct, heap}) {
                assertThat(pool.config().maxPooledBytes()).isEqualTo(DataSize.ofMegabytes(24).toBytes());
                assertThat(pool.config().minBufferSize()).isEqualTo(1024);
            }
            assertThat(heap.config().pinnedMemory()).isFalse(); // heap memory is never pinned
            assertThat(context.getBean(BufferPool.class).config().maxPooledBytes())
                    .isEqualTo(DataSize.ofMegabytes(8).toBytes());
        }
    }

    @Test
    void aConnectionLimitBootSetStillCountsTheNewConnectors() throws Exception {
        try (ConfigurableApplicationContext context = run("zeropool.jetty.enabled=true",
                "server.jetty.max-connections=5")) {
            NetworkConnectionLimit limit = JettyApps.server(context).getBean(NetworkConnectionLimit.class);
            assertThat(limit).isNotNull();
            try (Socket first = request(JettyApps.port(context)); Socket second = request(JettyApps.port(context))) {
                assertThat(limit.getNetworkConnectionCount()).isEqualTo(2);
            }
        }
    }

    /** Opens a keep-alive connection and reads one response's status line, so it is surely accepted. */
    private static Socket request(int port) throws Exception {
        Socket socket = new Socket("localhost", port);
        OutputStream out = socket.getOutputStream();
        out.write("GET /blob/10/1 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder status = new StringBuilder();
        for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
            status.append((char) b);
        }
        assertThat(status.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }

    @Test
    void offByDefaultJettyKeepsItsOwnPool() {
        try (ConfigurableApplicationContext context = run()) {
            assertThat(JettyApps.connectorPool(context)).isInstanceOf(ArrayByteBufferPool.class);
            assertThat(context.getBeansOfType(BufferPool.class)).containsOnlyKeys("bufferPool");
        }
    }
}
