package dev.zeropool.starter.jetty.flux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import dev.zeropool.autoconfigure.ZeroPoolJettyAutoConfiguration;
import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import dev.zeropool.starter.jetty.JettyApps;
import dev.zeropool.starter.jetty.Traffic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

class FluxOnJettyTests {

    @Test
    void aWebFluxServerOnJettyTakesItsBuffersFromTheJettyPoolsToo() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FluxApplication.class)
                .properties("server.port=0", "spring.main.web-application-type=reactive", "spring.jmx.enabled=false",
                        "spring.codec.max-in-memory-size=8MB", "zeropool.jetty.enabled=true")
                .run()) {
            assertThat(context).isInstanceOf(ReactiveWebServerApplicationContext.class);
            assertThat(JettyApps.connectorPool(context)).isInstanceOf(ZeroPoolByteBufferPool.class);
            ZeroPoolByteBufferPool buffers = (ZeroPoolByteBufferPool) JettyApps.connectorPool(context);
            BufferPool direct = context.getBean(ZeroPoolJettyAutoConfiguration.DIRECT_POOL, BufferPool.class);
            BufferPool heap = context.getBean(ZeroPoolJettyAutoConfiguration.HEAP_POOL, BufferPool.class);

            long getsBefore = direct.stats().gets() + heap.stats().gets();

            Traffic.run(JettyApps.port(context), 3, 2, 2 << 20, 2 << 20);

            // Fewer than on Spring MVC: WebFlux copies bodies through its own DataBuffers, Jetty's pool serves
            // the connections' network buffers.
            assertThat(direct.stats().gets() + heap.stats().gets()).isGreaterThan(getsBefore);
            JettyApps.stopServer(context);
            assertThat(buffers.getDirectByteBuffersInUse() + buffers.getHeapByteBuffersInUse()).isZero();
            for (BufferPool pool : new BufferPool[] {direct, heap}) {
                PoolStats stats = pool.stats();
                assertThat(stats.rejected()).isZero();
                assertThat(stats.puts()).isEqualTo(stats.gets());
            }
        }
    }
}
