package dev.zeropool.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zeropool.BufferPool;
import dev.zeropool.autoconfigure.ZeroPoolBuilderCustomizer;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter in a real application (no web server) of the Boot line on the class path: a
 * {@code BufferPool} bean from {@code zeropool.*}, customizers, backing off for the application's own
 * pool, the scheduled trim, and the pool closed with the context.
 */
class StarterApplicationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void thePoolBeanIsBuiltFromTheProperties() {
        try (ConfigurableApplicationContext context = run(new Class<?>[0], "zeropool.shards=2",
                "zeropool.tls-cache-size=0", "zeropool.max-buffer-size=1MB", "zeropool.eviction-policy=lifo",
                "zeropool.validation=strict", "zeropool.idle-timeout=90s")) {
            BufferPool pool = context.getBean(BufferPool.class);
            assertThat(pool.config().numShards()).isEqualTo(2);
            assertThat(pool.config().tlsCacheSize()).isZero();
            assertThat(pool.config().maxBufferSize()).isEqualTo(1024 * 1024);
            assertThat(pool.config().evictionPolicy()).hasToString("LIFO");
            assertThat(pool.config().validation()).hasToString("STRICT");
            assertThat(pool.config().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        }
    }

    @Test
    void customizersRunAfterThePropertiesSoTheyHaveTheLastWord() {
        try (ConfigurableApplicationContext context = run(new Class<?>[] { FourShards.class }, "zeropool.shards=2",
                "zeropool.tls-cache-size=0")) {
            BufferPool pool = context.getBean(BufferPool.class);
            assertThat(pool.config().numShards()).isEqualTo(4);
            assertThat(pool.config().tlsCacheSize()).isZero();
        }
    }

    @Test
    void backsOffForTheApplicationsOwnPool() {
        try (ConfigurableApplicationContext context = run(new Class<?>[] { OwnPool.class }, "zeropool.shards=2")) {
            assertThat(context.getBeansOfType(BufferPool.class)).containsOnlyKeys("ioPool");
            // The application's pool, not one from the properties.
            assertThat(context.getBean(BufferPool.class).config().numShards()).isEqualTo(8);
        }
    }

    @Test
    void idleBuffersAreDroppedByTheScheduledTrim() {
        // No per-thread cache, so returned buffers sit in a shard, which a trim empties at once.
        try (ConfigurableApplicationContext context = run(new Class<?>[0], "zeropool.tls-cache-size=0",
                "zeropool.shards=1", "zeropool.idle-timeout=1ms", "zeropool.trim-interval=10ms")) {
            BufferPool pool = context.getBean(BufferPool.class);
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            // Kept (a counter, so a scheduled trim that runs right after the put cannot make this fail).
            assertThat(pool.stats().kept()).isEqualTo(1);
            // Nothing here calls trim(): only the schedule can empty the pool.
            await().atMost(PATIENCE).until(() -> pool.stats().pooledBuffers() == 0);
        }
    }

    @Test
    void thePoolIsClosedWithTheContext() {
        BufferPool pool;
        try (ConfigurableApplicationContext context = run(new Class<?>[0])) {
            pool = context.getBean(BufferPool.class);
            assertThat(pool.isClosed()).isFalse();
        }
        assertThat(pool.isClosed()).isTrue();
    }

    private static ConfigurableApplicationContext run(Class<?>[] configurations, String... properties) {
        return new SpringApplicationBuilder(TestApplication.class).sources(configurations)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
    }

    @Configuration(proxyBeanMethods = false)
    static class FourShards {

        @Bean
        ZeroPoolBuilderCustomizer fourShards() {
            return (builder) -> builder.numShards(4);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {

        @Bean(destroyMethod = "close")
        BufferPool ioPool() {
            return BufferPool.builder().numShards(8).build();
        }
    }
}
