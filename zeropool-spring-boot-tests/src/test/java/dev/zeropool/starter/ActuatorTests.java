package dev.zeropool.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What operations sees of the pool in a real web application on a random port: {@code /actuator/zeropool}
 * and {@code /actuator/zeropool/{pool}} over HTTP, the same endpoint over JMX, and the meters in a
 * Prometheus scrape. Every setting that depends on the machine is fixed, leak sampling is off (a
 * sampled get, one in 4096 at random, allocates a spare and would change the figures), and the pool sees
 * one known get and put at start-up, so the whole response is known: {@code zeropool-endpoint.json} holds it, and
 * each Boot line (Jackson 2 on 3.5, Jackson 3 on 4) must answer exactly that.
 */
@SpringBootTest(classes = { TestApplication.class, ActuatorTests.OneGetAndPut.class },
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "zeropool.shards=1", "zeropool.tls-cache-size=0", "zeropool.min-buffer-size=4KB",
                "zeropool.max-buffer-size=1MB", "zeropool.max-buffers-per-shard=8", "zeropool.max-pooled-memory=8MB",
                "zeropool.leak-detection=off",
                "management.endpoints.web.exposure.include=zeropool,prometheus",
                // Boot's test support turns metrics export off unless asked; a real application has it on.
                "management.prometheus.metrics.export.enabled=true",
                "spring.jmx.enabled=true", "spring.jmx.unique-names=true",
                "management.endpoints.jmx.exposure.include=zeropool" })
class ActuatorTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private BufferPool pool;

    @Test
    void thePoolIsTheOneTheEndpointShows() {
        assertThat(this.pool.config().numShards()).isEqualTo(1);
        assertThat(this.pool.config().maxPooledBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void allPoolsOverHttp() throws Exception {
        HttpResponse<String> response = get("/actuator/zeropool");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/vnd.spring-boot.actuator.v3+json"));
        assertThat(Json.parse(response.body())).isEqualTo(expected());
    }

    @Test
    void onePoolOverHttpByName() throws Exception {
        HttpResponse<String> response = get("/actuator/zeropool/bufferPool");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body())).isEqualTo(expectedPool("bufferPool"));
    }

    @Test
    void anUnknownPoolIs404() throws Exception {
        assertThat(get("/actuator/zeropool/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void allPoolsOverJmx() throws JMException, IOException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(
                new ObjectName("org.springframework.boot:type=Endpoint,name=Zeropool,*"), null);
        assertThat(names).hasSize(1);
        // Over JMX the response is plain maps and lists, as a JMX console shows it.
        Object result = server.invoke(names.iterator().next(), "pools", new Object[0], new String[0]);
        assertThat(Json.plain(result)).isEqualTo(expected());
    }

    @Test
    void prometheusScrapeHasEveryMeterOfThePool() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        // The one get at start-up missed and its put was kept; the buffer sits in shard 0.
        assertThat(response.body().lines()).contains(
                "zeropool_gets_total{pool=\"bufferPool\",result=\"miss\"} 1.0",
                "zeropool_gets_total{pool=\"bufferPool\",result=\"shard_hit\"} 0.0",
                "zeropool_gets_total{pool=\"bufferPool\",result=\"tls_hit\"} 0.0",
                "zeropool_puts_total{pool=\"bufferPool\",result=\"kept\"} 1.0",
                "zeropool_puts_total{pool=\"bufferPool\",result=\"dropped\"} 0.0",
                "zeropool_puts_total{pool=\"bufferPool\",result=\"rejected\"} 0.0",
                "zeropool_pooled_buffers{pool=\"bufferPool\",shard=\"0\"} 1.0",
                "zeropool_pooled_buffers{pool=\"bufferPool\",shard=\"tls\"} 0.0",
                "zeropool_pooled_bytes{pool=\"bufferPool\",shard=\"0\"} 5120.0",
                "zeropool_pooled_bytes{pool=\"bufferPool\",shard=\"tls\"} 0.0",
                "zeropool_allocated_bytes_total{pool=\"bufferPool\"} 5120.0",
                "zeropool_pinned_bytes{pool=\"bufferPool\"} 0.0",
                "zeropool_leaks_total{pool=\"bufferPool\"} 0.0");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The response every Boot line must give, in {@link Json#plain plain form}. */
    private static Object expected() throws IOException {
        try (InputStream in = ActuatorTests.class.getResourceAsStream("zeropool-endpoint.json")) {
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Object expectedPool(String name) throws IOException {
        return ((Map<?, ?>) ((Map<?, ?>) expected()).get("pools")).get(name);
    }

    /** One get and one put before any test looks, so the counters and the size class list are known. */
    @Configuration(proxyBeanMethods = false)
    static class OneGetAndPut {

        @Bean
        ApplicationRunner oneGetAndPut(BufferPool pool) {
            return (arguments) -> pool.put(pool.get(5000));
        }
    }
}
