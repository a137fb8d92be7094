package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

/**
 * With {@code zeropool.jetty.enabled=true}, an embedded Jetty server (Spring MVC or WebFlux) takes every
 * connector buffer from ZeroPool: two pools, {@value #DIRECT_POOL} and {@value #HEAP_POOL}, set up from
 * {@code zeropool.*} like the main pool (and by the same {@link ZeroPoolBuilderCustomizer}s), with
 * {@code zeropool.jetty.max-pooled-memory} as their bound when set. They are beans, so the endpoint, the
 * meters and the trimmer cover them by name; they are not candidates for injection by type
 * ({@code defaultCandidate = false}), so an application that injects its {@code BufferPool} still gets the
 * main one. Off by default: replacing a server's memory manager is the application's decision.
 *
 * <p>Spring Boot 3.5's embedded Jetty factories have no setting for the connectors' buffer pool, so a
 * {@link JettyConnectorBuffers} server customizer rebuilds each connector on the ZeroPool pool (see there).
 * Boot 4 moved these factories to other packages; there this configuration does not apply (the class
 * condition fails) and Jetty keeps its own pool.
 */
@AutoConfiguration(after = ZeroPoolAutoConfiguration.class)
@ConditionalOnClass(name = { "dev.zeropool.jetty.ZeroPoolByteBufferPool", "org.eclipse.jetty.server.Server",
        "org.springframework.boot.web.embedded.jetty.ConfigurableJettyWebServerFactory" })
@ConditionalOnWebApplication
@ConditionalOnSwitch(value = "zeropool.jetty.enabled", onByDefault = false)
@EnableConfigurationProperties(ZeroPoolProperties.class)
public class ZeroPoolJettyAutoConfiguration {

    /** Bean name of the pool serving Jetty's direct buffers. */
    public static final String DIRECT_POOL = "jettyDirectBufferPool";

    /** Bean name of the pool serving Jetty's heap buffers. */
    public static final String HEAP_POOL = "jettyHeapBufferPool";

    /**
     * @param properties the bound {@code zeropool.*} properties
     * @param customizers the customizer beans, applied after the properties
     * @return the pool of Jetty's direct buffers; closed with the context, after Boot has stopped the
     *     connectors (and waited for a graceful shutdown) but before it stops the server: a request still
     *     running then (past the graceful-shutdown timeout) is served fresh unpooled buffers by the Jetty
     *     adapter, and the pool drops the buffers it returns
     */
    @Bean(name = DIRECT_POOL, destroyMethod = "close", defaultCandidate = false)
    public BufferPool jettyDirectBufferPool(ZeroPoolProperties properties,
            ObjectProvider<ZeroPoolBuilderCustomizer> customizers) {
        return jettyPool(properties, customizers, true);
    }

    /**
     * @param properties the bound {@code zeropool.*} properties
     * @param customizers the customizer beans, applied after the properties
     * @return the pool of Jetty's heap buffers; closed with the context, after Boot has stopped the
     *     connectors (and waited for a graceful shutdown) but before it stops the server: a request still
     *     running then (past the graceful-shutdown timeout) is served fresh unpooled buffers by the Jetty
     *     adapter, and the pool drops the buffers it returns
     */
    @Bean(name = HEAP_POOL, destroyMethod = "close", defaultCandidate = false)
    public BufferPool jettyHeapBufferPool(ZeroPoolProperties properties,
            ObjectProvider<ZeroPoolBuilderCustomizer> customizers) {
        return jettyPool(properties, customizers, false);
    }

    /**
     * A factory customizer, so that it reaches every Jetty factory bean, Boot's or the application's own;
     * it puts the connector rebuild first among the factory's server customizers, ahead of the
     * application's.
     *
     * @param direct the {@value #DIRECT_POOL} bean
     * @param heap the {@value #HEAP_POOL} bean
     * @return a customizer giving every Jetty server the application builds connectors on these pools
     */
    @Bean
    public WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> zeroPoolJettyCustomizer(
            @Qualifier(DIRECT_POOL) BufferPool direct, @Qualifier(HEAP_POOL) BufferPool heap) {
        JettyConnectorBuffers buffers = new JettyConnectorBuffers(new ZeroPoolByteBufferPool(direct, heap));
        return buffers::firstOf;
    }

    private static BufferPool jettyPool(ZeroPoolProperties properties,
            ObjectProvider<ZeroPoolBuilderCustomizer> customizers, boolean direct) {
        BufferPool.Builder builder = BufferPool.builder();
        PoolBuilderProperties.apply(properties, builder);
        DataSize bound = properties.getJetty().getMaxPooledMemory();
        if (bound != null) {
            if (bound.toBytes() < 1) {
                throw new InvalidPoolPropertyException("zeropool.jetty.max-pooled-memory", bound.toString(),
                        "at least 1B");
            }
            builder.maxPooledBytes(bound.toBytes());
        }
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        // Last, whatever the settings say: one pool per kind Jetty asks for, and heap memory is never pinned.
        builder.direct(direct);
        if (!direct) {
            builder.pinnedMemory(false);
        }
        return builder.build();
    }
}
