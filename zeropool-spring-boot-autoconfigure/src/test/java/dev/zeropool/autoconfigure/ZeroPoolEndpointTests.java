package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import dev.zeropool.PoolConfig;
import dev.zeropool.Validation;
import dev.zeropool.autoconfigure.ZeroPoolEndpoint.ConfigDescriptor;
import dev.zeropool.autoconfigure.ZeroPoolEndpoint.PoolDescriptor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ZeroPoolEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                    ZeroPoolEndpointAutoConfiguration.class));

    @Test
    void endpointExistsWhenExposed() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=zeropool")
                .run((context) -> assertThat(context).hasSingleBean(ZeroPoolEndpoint.class));
    }

    @Test
    void endpointFollowsSpringExposureRulesAndIsAbsentUnlessExposed() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(BufferPool.class)
                .doesNotHaveBean(ZeroPoolEndpoint.class));
    }

    @Test
    void withoutTheActuatorThePoolStillWorks() {
        this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .withPropertyValues("management.endpoints.web.exposure.include=zeropool")
                .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(BufferPool.class)
                        .doesNotHaveBean(ZeroPoolEndpoint.class));
    }

    @Test
    void listsEveryPoolByBeanNameSorted() {
        this.runner.withUserConfiguration(TwoPools.class)
                .withPropertyValues("management.endpoints.web.exposure.include=zeropool").run((context) -> {
                    ZeroPoolEndpoint endpoint = context.getBean(ZeroPoolEndpoint.class);
                    assertThat(endpoint.pools().pools()).containsOnlyKeys("alpha", "zulu");
                    assertThat(endpoint.pools().pools().keySet()).containsExactly("alpha", "zulu");
                });
    }

    @Test
    void showsConfigAndNumbersThatMoveWithUse() {
        this.runner.withUserConfiguration(TwoPools.class)
                .withPropertyValues("management.endpoints.web.exposure.include=zeropool").run((context) -> {
                    ZeroPoolEndpoint endpoint = context.getBean(ZeroPoolEndpoint.class);
                    BufferPool alpha = context.getBean("alpha", BufferPool.class);
                    // No thread cache and one shard: the first get misses, the second is a shard hit.
                    alpha.put(alpha.get(5000));
                    ByteBuffer held = alpha.get(5000);

                    PoolDescriptor pool = endpoint.pool("alpha");
                    assertThat(pool.config().numShards()).isEqualTo(1);
                    assertThat(pool.config().tlsCacheSize()).isZero();
                    assertThat(pool.config().maxBuffersPerShard()).isEqualTo(4);
                    assertThat(pool.config().idleTimeout()).isEqualTo("PT1M");
                    assertThat(pool.totals().gets()).isEqualTo(2);
                    assertThat(pool.totals().misses()).isEqualTo(1);
                    assertThat(pool.totals().shardHits()).isEqualTo(1);
                    assertThat(pool.totals().puts()).isEqualTo(1);
                    assertThat(pool.totals().kept()).isEqualTo(1);
                    assertThat(pool.hitRate()).isEqualTo(0.5);
                    assertThat(pool.pooledBuffers()).isZero();
                    assertThat(pool.allocatedBytes()).isEqualTo(held.capacity());
                    assertThat(pool.shards()).singleElement().satisfies((shard) -> {
                        assertThat(shard.hits()).isEqualTo(1);
                        assertThat(shard.misses()).isEqualTo(1);
                        assertThat(shard.capacity()).isEqualTo(4);
                    });
                    assertThat(pool.sizeClasses()).singleElement().satisfies((sizeClass) -> {
                        assertThat(sizeClass.capacity()).isEqualTo(held.capacity());
                        assertThat(sizeClass.gets()).isEqualTo(2);
                    });

                    alpha.put(held);
                    PoolDescriptor after = endpoint.pool("alpha");
                    assertThat(after.pooledBuffers()).isEqualTo(1);
                    assertThat(after.pooledBytes()).isEqualTo(held.capacity());
                    assertThat(after.shards().get(0).occupancy()).isEqualTo(0.25);
                    assertThat(endpoint.pool("zulu").totals().gets()).isZero();
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void worksOverJmx() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, EndpointAutoConfiguration.class,
                        JmxEndpointAutoConfiguration.class, ZeroPoolAutoConfiguration.class,
                        ZeroPoolEndpointAutoConfiguration.class))
                .withPropertyValues("spring.jmx.enabled=true", "spring.jmx.unique-names=true",
                        "management.endpoints.jmx.exposure.include=zeropool", "zeropool.shards=2")
                .run((context) -> {
                    MBeanServer server = context.getBean(MBeanServer.class);
                    ObjectName pattern = new ObjectName("org.springframework.boot:type=Endpoint,name=Zeropool,*");
                    ObjectName name = server.queryNames(pattern, null).iterator().next();
                    // Over JMX the response arrives as plain maps, as a JMX console would show it.
                    Map<String, Object> result = (Map<String, Object>) server.invoke(name, "pools", new Object[0],
                            new String[0]);
                    Map<String, Object> pools = (Map<String, Object>) result.get("pools");
                    Map<String, Object> pool = (Map<String, Object>) pools.get("bufferPool");
                    Map<String, Object> config = (Map<String, Object>) pool.get("config");
                    assertThat(config.get("numShards")).isEqualTo(2);
                    assertThat(config.get("idleTimeout")).isEqualTo("PT1M");
                    assertThat(config.get("validation")).isEqualTo("FAST");
                    assertThat(((Map<String, Object>) pool.get("totals")).get("leaks")).isEqualTo(0L);
                });
    }

    @Test
    void anUnknownPoolIsNullWhichTheActuatorAnswersWith404() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=zeropool")
                .run((context) -> assertThat(context.getBean(ZeroPoolEndpoint.class).pool("nope")).isNull());
    }

    @Test
    void theResponseSerializesToJson() throws Exception {
        ZeroPoolEndpoint endpoint;
        try (BufferPool pool = BufferPool.builder().numShards(2).build()) {
            pool.put(pool.get(100));
            endpoint = new ZeroPoolEndpoint(Map.of("io", pool));
            JsonNode json = new ObjectMapper().valueToTree(endpoint.pools());
            JsonNode io = json.path("pools").path("io");
            assertThat(io.path("config").path("numShards").asInt()).isEqualTo(2);
            assertThat(io.path("config").path("evictionPolicy").asText()).isEqualTo("CLOCK_PRO");
            assertThat(io.path("config").path("validation").asText()).isEqualTo("FAST");
            assertThat(io.path("config").path("leakDetection").asText()).isEqualTo("SAMPLED");
            assertThat(Duration.parse(io.path("config").path("idleTimeout").asText())).isEqualTo(Duration.ofSeconds(60));
            assertThat(io.path("config").path("clearOnRelease").isBoolean()).isTrue();
            assertThat(io.path("totals").path("leaks").isIntegralNumber()).isTrue();
            assertThat(io.path("totals").path("gets").asLong()).isEqualTo(1);
            assertThat(io.path("hitRate").isNumber()).isTrue();
            assertThat(io.path("shards").size()).isEqualTo(2);
            assertThat(io.path("shards").get(0).has("occupancy")).isTrue();
            assertThat(io.path("sizeClasses").get(0).path("capacity").asInt()).isEqualTo(4096);
        }
    }

    @Test
    void theConfigDescriptorShowsEverySettingOfThePool() {
        // A setting added to the core's PoolConfig must be added to the endpoint's own descriptor too.
        assertThat(Arrays.stream(ConfigDescriptor.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactlyElementsOf(Arrays.stream(PoolConfig.class.getRecordComponents())
                        .map(RecordComponent::getName).toList());
        try (BufferPool pool = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.ALL)
                .idleTimeout(Duration.ofMillis(1500)).clearOnRelease(true).build()) {
            ConfigDescriptor config = new ZeroPoolEndpoint(Map.of("io", pool)).pool("io").config();
            assertThat(config.validation()).isEqualTo(Validation.STRICT);
            assertThat(config.leakDetection()).isEqualTo(LeakDetection.ALL);
            assertThat(config.idleTimeout()).isEqualTo("PT1.5S");
            assertThat(config.clearOnRelease()).isTrue();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPools {

        @Bean
        BufferPool zulu() {
            return BufferPool.builder().build();
        }

        @Bean
        BufferPool alpha() {
            // never leak-sampled: the tests count its bytes and classes exactly, and a sampled get hands out
            // a view of a spare one byte larger than the class
            return BufferPool.builder().numShards(1).tlsCacheSize(0).maxBuffersPerShard(4)
                    .leakDetection(LeakDetection.OFF).build();
        }
    }
}
