package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zeropool.BufferPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

class ZeroPoolMetricsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                    ZeroPoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

    @Test
    void aRegistryThatOutlivesItsPoolDoesNotKeepItAlive() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WeakReference<BufferPool> pool = bindAndClose(registry);
        for (int i = 0; i < 100 && pool.get() != null; i++) {
            System.gc(); // the meters must hold the pool weakly, as their Javadoc says
        }
        assertThat(pool.get()).as("collected once only the registry's meters refer to it").isNull();
        assertThat(registry.get(ZeroPoolMeters.PINNED_BYTES.meterName()).gauge().value()).isNaN();
    }

    private static WeakReference<BufferPool> bindAndClose(MeterRegistry registry) {
        BufferPool pool = BufferPool.builder().build();
        new BufferPoolMetrics(pool, "gone").bindTo(registry);
        assertThat(registry.get(ZeroPoolMeters.PINNED_BYTES.meterName()).gauge().value()).isZero();
        pool.close();
        return new WeakReference<>(pool);
    }

    @Test
    void prototypePoolsAreNotBuiltForTheMetersOrTheTrims() {
        PrototypePool.built.set(0);
        this.runner.withConfiguration(AutoConfigurations.of(ZeroPoolTrimAutoConfiguration.class))
                .withUserConfiguration(PrototypePool.class).run((context) -> {
                    assertThat(context).hasNotFailed().hasSingleBean(BufferPoolTrimmer.class);
                    context.getBean(MeterRegistry.class).getMeters(); // every binder has bound
                    assertThat(PrototypePool.built).as("pools built for nobody, never closed").hasValue(0);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypePool {

        static final AtomicInteger built = new AtomicInteger();

        @Bean
        @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
        BufferPool perRequestPool() {
            built.incrementAndGet();
            return BufferPool.builder().build();
        }
    }

    @Test
    void everyMeterOfTheEnumIsRegisteredForThePoolBean() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Set<String> names = registry.getMeters().stream()
                    .filter((meter) -> "bufferPool".equals(meter.getId().getTag("pool")))
                    .map((meter) -> meter.getId().getName())
                    .collect(Collectors.toSet());
            assertThat(names).containsExactlyInAnyOrderElementsOf(
                    Arrays.stream(ZeroPoolMeters.values()).map(ZeroPoolMeters::meterName).toList());
        });
    }

    @Test
    void metersFollowTheBeanThroughGetsAndPuts() {
        this.runner.withPropertyValues("zeropool.shards=2", "zeropool.tls-cache-size=1").run((context) -> {
            BufferPool pool = context.getBean(BufferPool.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            ByteBuffer first = pool.get(4096);   // miss
            ByteBuffer second = pool.get(4096);  // miss
            pool.put(first);                     // kept in this thread's cache (room for 1)
            pool.put(pool.get(4096));            // tls hit, kept again in the cache
            pool.put(second);                    // the cache is full: both go to the home shard, in one batch

            assertThat(count(registry, "zeropool.gets", "miss")).isEqualTo(2);
            assertThat(count(registry, "zeropool.gets", "tls_hit")).isEqualTo(1);
            assertThat(count(registry, "zeropool.gets", "shard_hit")).isZero();
            assertThat(count(registry, "zeropool.puts", "kept")).isEqualTo(3);
            assertThat(count(registry, "zeropool.puts", "dropped")).isZero();
            assertThat(count(registry, "zeropool.puts", "rejected")).isZero();
            assertThat(registry.get("zeropool.allocated.bytes").functionCounter().count()).isEqualTo(2 * 4096);
            assertThat(registry.get("zeropool.pinned.bytes").gauge().value()).isZero();
            assertThat(pooled(registry, "zeropool.pooled.buffers", "tls")).isZero();
            assertThat(pooled(registry, "zeropool.pooled.buffers", "0") + pooled(registry, "zeropool.pooled.buffers", "1"))
                    .isEqualTo(2);
            assertThat(registry.get("zeropool.pooled.bytes").gauges().stream().mapToDouble((g) -> g.value()).sum())
                    .isEqualTo(2 * 4096);
            assertThat(registry.get("zeropool.pooled.buffers").gauges()).hasSize(3);
        });
    }

    @Test
    void aLeakedBufferIsCounted() {
        this.runner.withPropertyValues("zeropool.leak-detection=all").run((context) -> {
            BufferPool pool = context.getBean(BufferPool.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            FunctionCounter leaks = registry.get("zeropool.leaks").tag("pool", "bufferPool").functionCounter();
            assertThat(leaks.count()).isZero();
            takeAndForget(pool);
            // The leak is found once the collector has reclaimed the buffer; collect until it has.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                System.gc();
                assertThat(leaks.count()).isEqualTo(1);
            });
        });
    }

    private static void takeAndForget(BufferPool pool) {
        pool.get(4096);
    }

    @Test
    void metersOfEveryPoolAreTaggedWithTheBeanName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BufferPool io = BufferPool.builder().numShards(1).build();
                BufferPool net = BufferPool.builder().numShards(1).build()) {
            new BufferPoolsMeterBinder(java.util.Map.of("io", io, "net", net)).bindTo(registry);
            net.put(net.get(10));
            assertThat(registry.get("zeropool.gets").tag("pool", "net").tag("result", "miss").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("zeropool.gets").tag("pool", "io").tag("result", "miss").functionCounter().count())
                    .isZero();
        }
    }

    @Test
    void metricsEnabledFalseRegistersNothing() {
        this.runner.withPropertyValues("zeropool.metrics.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(BufferPoolsMeterBinder.class);
            assertThat(context.getBean(MeterRegistry.class).find("zeropool.gets").meters()).isEmpty();
        });
    }

    @Test
    void withoutAMeterRegistryBeanNoBinderIsDefined() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                        ZeroPoolMetricsAutoConfiguration.class))
                .run((context) -> assertThat(context).hasSingleBean(BufferPool.class)
                        .doesNotHaveBean(BufferPoolsMeterBinder.class));
    }

    @Test
    void withoutMicrometerThePoolStillWorks() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                        ZeroPoolEndpointAutoConfiguration.class, ZeroPoolMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(BufferPool.class)
                        .doesNotHaveBean(BufferPoolsMeterBinder.class));
    }

    private static double count(MeterRegistry registry, String name, String result) {
        return registry.get(name).tag("pool", "bufferPool").tag("result", result).functionCounter().count();
    }

    private static double pooled(MeterRegistry registry, String name, String shard) {
        return registry.get(name).tag("pool", "bufferPool").tag("shard", shard).gauge().value();
    }
}
