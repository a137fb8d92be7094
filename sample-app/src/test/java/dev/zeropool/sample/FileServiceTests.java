package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zeropool.PoolStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/** The sample over real HTTP: files go in and out byte for byte, refusals are clean, the pool shows it. */
// Tests switch metrics export off unless asked; the Prometheus scrape is part of what is tested here.
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.storage.max-file-size=4MB",
        // Let Tomcat read the rest of a refused body, so the client reliably gets the 413 rather than
        // a connection closed under a request it is still sending.
        "server.tomcat.max-swallow-size=-1" })
class FileServiceTests extends RunningSampleApp {

    private static final int LIMIT = 4 * 1024 * 1024;

    @Test
    void aMultiMegabyteFileComesBackByteForByte() throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 12345, 1);
        assertThat(send(put("/files/model.bin", content)).statusCode()).isEqualTo(201);
        assertThat(storage.resolve("model.bin")).hasBinaryContent(content);

        HttpResponse<byte[]> download = http.send(request("/files/model.bin").GET().build(), BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertThat(download.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(download.body()).isEqualTo(content);
    }

    @Test
    void aSecondUploadReplacesTheFile() throws Exception {
        assertThat(send(put("/files/notes.txt", "first".getBytes())).statusCode()).isEqualTo(201);
        assertThat(send(put("/files/notes.txt", "second".getBytes())).statusCode()).isEqualTo(204);
        assertThat(http.send(request("/files/notes.txt").GET().build(), BodyHandlers.ofString()).body())
                .isEqualTo("second");
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        assertThat(send(put("/files/exact.bin", randomBytes(LIMIT, 2))).statusCode()).isEqualTo(201);
    }

    @Test
    void aNameWithASemicolonIs400AndNeverReadAsTheNameBeforeIt() throws Exception {
        // Spring cuts ";..." off a path segment (matrix variables): victim.bin;v=2 reached victim.bin
        assertThat(send(put("/files/victim.bin", "original".getBytes())).statusCode()).isEqualTo(201);

        HttpResponse<String> overwrite = send(put("/files/victim.bin;v=2", "overwritten".getBytes()));
        HttpResponse<String> read = http.send(request("/files/victim.bin;x").GET().build(), BodyHandlers.ofString());
        HttpResponse<String> load = send(request("/models/victim.bin;x/load").POST(BodyPublishers.noBody()).build());

        assertThat(overwrite.statusCode()).as(overwrite.body()).isEqualTo(400);
        assertThat(overwrite.body()).contains("'victim.bin;v=2' is not a valid file name");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(400);
        assertThat(load.statusCode()).as(load.body()).isEqualTo(400);
        assertThat(storage.resolve("victim.bin")).hasContent("original");
    }

    @Test
    void namesThatCouldEscapeTheFolderAre400() throws Exception {
        for (String name : new String[] { "..%2Fescape", "%2E%2E%2Fescape", "%2Fetc%2Fpasswd", "..%5Cescape",
                ".hidden", "a%20b" }) {
            assertThat(send(put("/files/" + name, "x".getBytes())).statusCode()).as(name).isEqualTo(400);
            assertThat(http.send(request("/files/" + name).GET().build(), BodyHandlers.discarding()).statusCode())
                    .as(name).isEqualTo(400);
        }
        try (Stream<Path> outside = Files.list(storage.getParent())) {
            assertThat(outside.map(Path::getFileName).map(Path::toString)).doesNotContain("escape");
        }
    }

    @Test
    void aMethodTheResourceDoesNotTakeIs405AsAProblemNamingTheAllowedOnes() throws Exception {
        HttpResponse<String> response = http.send(request("/models/model.safetensors/load").GET().build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.body()).contains("method GET is not supported here; use POST");
    }

    @Test
    void aMissingFileIs404() throws Exception {
        HttpResponse<String> response = http.send(request("/files/never-uploaded").GET().build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no such file");
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = send(put("/files/big.bin", randomBytes(LIMIT + 1, 3)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(storage.resolve("big.bin")).doesNotExist();
    }

    @Test
    void aStreamedBodyOverTheLimitIs413AndLeavesNoFileBehind() throws Exception {
        byte[] content = randomBytes(LIMIT + 100_000, 4);
        // An InputStream publisher has no length, so the body goes chunked and the server must count it.
        HttpRequest chunked = request("/files/streamed.bin")
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content))).build();
        assertThat(send(chunked).statusCode()).isEqualTo(413);
        try (Stream<Path> files = Files.list(storage)) {
            assertThat(files.map(Path::getFileName).map(Path::toString))
                    .noneMatch((file) -> file.startsWith("streamed") || file.startsWith(".upload-"));
        }
    }

    @Test
    void everyBufferComesBackAfterFailedAndSuccessfulRequests() throws Exception {
        send(put("/files/ok.bin", randomBytes(200_000, 5)));
        http.send(request("/files/ok.bin").GET().build(), BodyHandlers.discarding());
        send(put("/files/..%2Fx", "x".getBytes()));
        http.send(request("/files/missing").GET().build(), BodyHandlers.discarding());
        send(put("/files/declared.bin", randomBytes(LIMIT + 1, 6)));
        send(request("/files/chunked.bin")
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[LIMIT + 1]))).build());

        // A response can end a moment before the handler's finally block puts its buffer back (the
        // download declares its length), so wait, bounded, for the pool to settle: every buffer taken
        // handed back, kept by the pool or dropped by it, none still out.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PoolStats stats = this.pool.stats();
            assertThat(stats.gets()).isPositive();
            assertThat(stats.kept() + stats.dropped()).isEqualTo(stats.gets());
        });
        assertThat(this.pool.stats().rejected()).isZero();
        assertThat(this.pool.stats().leaks()).isZero();
    }

    @Test
    void theZeropoolEndpointShowsThePoolAndItsNumbersMove() throws Exception {
        JsonNode before = zeropoolEndpoint();
        JsonNode pool = before.path("pools").path("bufferPool");
        assertThat(pool.path("config").path("numShards").asInt()).isEqualTo(4);
        assertThat(pool.path("config").path("maxBufferSize").asInt()).isEqualTo(16 * 1024 * 1024);
        assertThat(pool.path("shards").size()).isEqualTo(4);
        // The settings from application.yml, through the actuator's own JSON mapper.
        assertThat(pool.path("config").path("validation").asText()).isEqualTo("FAST");
        assertThat(pool.path("config").path("leakDetection").asText()).isEqualTo("SAMPLED");
        assertThat(pool.path("config").path("idleTimeout").asText()).isEqualTo("PT1M");
        assertThat(pool.path("config").path("clearOnRelease").asBoolean(true)).isFalse();
        assertThat(pool.path("totals").path("leaks").isIntegralNumber()).isTrue();

        send(put("/files/counted.bin", randomBytes(100_000, 7)));
        JsonNode after = zeropoolEndpoint().path("pools").path("bufferPool");
        assertThat(after.path("totals").path("gets").asLong())
                .isGreaterThan(pool.path("totals").path("gets").asLong());
        assertThat(after.path("totals").path("puts").asLong())
                .isGreaterThan(pool.path("totals").path("puts").asLong());

        HttpResponse<String> one = http.send(request("/actuator/zeropool/bufferPool").GET().build(), BodyHandlers.ofString());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(one.body()).path("config").path("numShards").asInt()).isEqualTo(4);
        assertThat(http.send(request("/actuator/zeropool/noSuchPool").GET().build(), BodyHandlers.discarding())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusScrapeHasTheZeropoolMeters() throws Exception {
        send(put("/files/scraped.bin", randomBytes(10_000, 8)));
        String scrape = http.send(request("/actuator/prometheus").GET().build(), BodyHandlers.ofString()).body();
        assertThat(scrape).contains("zeropool_gets_total{pool=\"bufferPool\",result=\"miss\"}")
                .contains("zeropool_gets_total{pool=\"bufferPool\",result=\"tls_hit\"}")
                .contains("zeropool_puts_total{pool=\"bufferPool\",result=\"kept\"}")
                .contains("zeropool_pooled_buffers{pool=\"bufferPool\",shard=\"0\"}")
                .contains("zeropool_pooled_buffers{pool=\"bufferPool\",shard=\"tls\"}")
                .contains("zeropool_pooled_bytes{pool=\"bufferPool\",shard=\"3\"}")
                .contains("zeropool_allocated_bytes_total{pool=\"bufferPool\"}")
                .contains("zeropool_pinned_bytes{pool=\"bufferPool\"}")
                .contains("zeropool_leaks_total{pool=\"bufferPool\"}");
    }

    private JsonNode zeropoolEndpoint() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/actuator/zeropool").GET().build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
