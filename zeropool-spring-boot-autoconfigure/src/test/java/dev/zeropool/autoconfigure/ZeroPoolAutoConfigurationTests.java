package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import dev.zeropool.EvictionPolicy;
import dev.zeropool.LeakDetection;
import dev.zeropool.PoolConfig;
import dev.zeropool.Validation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class ZeroPoolAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class));

    @Test
    void withNoPropertiesThePoolHasTheCoreDefaults() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(BufferPool.class).hasBean("bufferPool");
            assertThat(context.getBean(BufferPool.class).config()).isEqualTo(PoolConfig.defaults());
        });
    }

    @Test
    void everyPropertyReachesTheBuiltPool() {
        PoolConfig defaults = PoolConfig.defaults();
        // Each value differs from the default, so a property that does not reach the builder shows.
        int shards = defaults.numShards() == 2 ? 8 : 2;
        int tls = defaults.tlsCacheSize() + 3;
        int perShard = defaults.maxBuffersPerShard() + 5;
        assertThat(defaults.validation()).isNotEqualTo(Validation.STRICT);
        assertThat(defaults.leakDetection()).isNotEqualTo(LeakDetection.ALL);
        assertThat(defaults.idleTimeout()).isNotEqualTo(Duration.ofSeconds(90));
        assertThat(defaults.clearOnRelease()).isFalse();
        this.runner.withPropertyValues("zeropool.shards=" + shards, "zeropool.tls-cache-size=" + tls,
                "zeropool.min-buffer-size=512B", "zeropool.max-buffer-size=2MB",
                "zeropool.max-buffers-per-shard=" + perShard, "zeropool.max-pooled-memory=48MB",
                "zeropool.pinned-memory=true", "zeropool.eviction-policy=lifo", "zeropool.direct=false",
                "zeropool.validation=strict", "zeropool.leak-detection=all", "zeropool.idle-timeout=90s",
                "zeropool.clear-on-release=true")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config()).isEqualTo(new PoolConfig(
                        tls, 512, 2 * 1024 * 1024, perShard, shards, 48L * 1024 * 1024, true, EvictionPolicy.LIFO,
                        false, Validation.STRICT, LeakDetection.ALL, Duration.ofSeconds(90), true)));
    }

    @Test
    void eachHardeningPropertyReachesThePoolOnItsOwn() {
        // One at a time, so that each mapping is proven alone rather than only all together.
        this.runner.withPropertyValues("zeropool.validation=off")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().validation())
                        .isEqualTo(Validation.OFF));
        this.runner.withPropertyValues("zeropool.leak-detection=OFF")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().leakDetection())
                        .isEqualTo(LeakDetection.OFF));
        this.runner.withPropertyValues("zeropool.idle-timeout=1500ms")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().idleTimeout())
                        .isEqualTo(Duration.ofMillis(1500)));
        this.runner.withPropertyValues("zeropool.idle-timeout=PT2M")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().idleTimeout())
                        .isEqualTo(Duration.ofMinutes(2)));
        this.runner.withPropertyValues("zeropool.clear-on-release=true")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().clearOnRelease()).isTrue());
    }

    @Test
    void unsetPoolPropertiesAreNullSoOnlyTheCoreHoldsDefaults() {
        // The Neo4j starter's rule: the properties class must not carry a second copy of the defaults.
        ZeroPoolProperties properties = new ZeroPoolProperties();
        assertThat(properties).extracting("shards", "tlsCacheSize", "minBufferSize", "maxBufferSize",
                "maxBuffersPerShard", "maxPooledMemory", "pinnedMemory", "evictionPolicy", "direct", "validation",
                "leakDetection", "idleTimeout", "clearOnRelease").containsOnlyNulls();
        BufferPool.Builder builder = BufferPool.builder();
        PoolBuilderProperties.apply(properties, builder);
        try (BufferPool pool = builder.build()) {
            assertThat(pool.config()).isEqualTo(PoolConfig.defaults());
        }
    }

    @Test
    void evictionPolicyBindsWhateverTheCase() {
        this.runner.withPropertyValues("zeropool.eviction-policy=LIFO")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().evictionPolicy())
                        .isEqualTo(EvictionPolicy.LIFO));
        this.runner.withPropertyValues("zeropool.eviction-policy=lifo")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().evictionPolicy())
                        .isEqualTo(EvictionPolicy.LIFO));
        this.runner.withPropertyValues("zeropool.eviction-policy=Clock-Pro", "zeropool.direct=false")
                .run((context) -> assertThat(context.getBean(BufferPool.class).config().evictionPolicy())
                        .isEqualTo(EvictionPolicy.CLOCK_PRO));
    }

    @Test
    void sizesAcceptDataSizeUnits() {
        this.runner.withPropertyValues("zeropool.min-buffer-size=1KB", "zeropool.max-buffer-size=1GB",
                "zeropool.max-pooled-memory=3GB").run((context) -> {
                    PoolConfig config = context.getBean(BufferPool.class).config();
                    assertThat(config.minBufferSize()).isEqualTo(1024);
                    assertThat(config.maxBufferSize()).isEqualTo(1 << 30);
                    assertThat(config.maxPooledBytes()).isEqualTo(3L << 30);
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesABufferPool() {
        this.runner.withUserConfiguration(UserPoolConfiguration.class).withPropertyValues("zeropool.shards=2")
                .run((context) -> {
                    assertThat(context).hasSingleBean(BufferPool.class).hasBean("userPool")
                            .doesNotHaveBean("bufferPool");
                    assertThat(context.getBean(BufferPool.class).config().numShards()).isEqualTo(1);
                });
    }

    @Test
    void enabledFalseDefinesNoPool() {
        this.runner.withPropertyValues("zeropool.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(BufferPool.class));
    }

    @Test
    void customizersRunInOrderAfterTheProperties() {
        this.runner.withUserConfiguration(CustomizerConfiguration.class).withPropertyValues("zeropool.shards=8")
                .run((context) -> {
                    PoolConfig config = context.getBean(BufferPool.class).config();
                    // The property said 8, the first customizer 2, the last one 16: the last word wins.
                    assertThat(config.numShards()).isEqualTo(16);
                    assertThat(config.evictionPolicy()).isEqualTo(EvictionPolicy.LIFO);
                });
    }

    @Test
    void thePoolIsClosedWithTheContext() {
        AtomicReference<BufferPool> pool = new AtomicReference<>();
        this.runner.run((context) -> {
            pool.set(context.getBean(BufferPool.class));
            ByteBuffer buffer = pool.get().get(100);
            pool.get().put(buffer);
            assertThat(pool.get().isClosed()).isFalse();
        });
        assertThat(pool.get().isClosed()).isTrue();
        assertThat(pool.get().stats().pooledBuffers()).isZero();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserPoolConfiguration {

        @Bean
        BufferPool userPool() {
            return BufferPool.builder().numShards(1).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @Bean
        @Order(2)
        ZeroPoolBuilderCustomizer lastCustomizer() {
            return (builder) -> builder.numShards(16);
        }

        @Bean
        @Order(1)
        ZeroPoolBuilderCustomizer firstCustomizer() {
            return (builder) -> builder.numShards(2).evictionPolicy(EvictionPolicy.LIFO);
        }
    }
}
