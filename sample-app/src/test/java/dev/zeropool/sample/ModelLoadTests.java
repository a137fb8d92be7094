package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zeropool.PoolStats;
import dev.zeropool.safetensors.DType;
import dev.zeropool.safetensors.SafetensorsWriter;
import dev.zeropool.safetensors.TensorSpec;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code POST /models/{name}/load} over real HTTP: exact counts, buffers reused and all returned, clean refusals. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Without per-thread caches every returned buffer goes to a shard, where the next request finds
        // it whichever Tomcat thread serves it: the second load's hits can then be counted exactly.
        "zeropool.tls-cache-size=0",
        // No trim during the test, so nothing returned is dropped for being idle between two loads.
        "zeropool.trim-interval=1h" })
class ModelLoadTests extends RunningSampleApp {

    /** A small model: 20,936 bytes in five tensors of three size classes, one of them a scalar. */
    private static final List<TensorSpec> TENSORS = List.of(
            TensorSpec.of("wte.weight", DType.F32, 64, 32),
            TensorSpec.of("h.0.attn.c_attn.weight", DType.F32, 32, 96),
            TensorSpec.of("h.0.attn.c_attn.bias", DType.F32, 96),
            TensorSpec.of("ln_f.weight", DType.F16, 32),
            TensorSpec.of("step", DType.I64));

    private static final long TENSOR_BYTES = 8192 + 12288 + 384 + 64 + 8;

    @TempDir
    Path scratch;

    @Test
    void loadReportsTheExactTensorCountAndByteTotalAndTheSecondLoadIsServedByThePool() throws Exception {
        byte[] model = safetensors(TENSORS);
        assertThat(upload("small.safetensors", model).statusCode()).isEqualTo(201);

        HttpResponse<String> first = load("small.safetensors");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode report = new ObjectMapper().readTree(first.body());
        assertThat(report.path("name").asText()).isEqualTo("small.safetensors");
        assertThat(report.path("tensors").asInt()).isEqualTo(5);
        assertThat(report.path("bytes").asLong()).isEqualTo(TENSOR_BYTES).isLessThan(model.length);
        assertThat(report.path("millis").isNumber()).isTrue();
        assertThat(report.path("poolHitRate").asDouble(-1)).isBetween(0.0, 1.0);
        // Nothing else takes buffers during the test: the pool's counts over the load are the load's own.
        assertThat(report.path("gets").asLong()).isEqualTo(5);
        assertThat(report.path("otherGets").asLong(-1)).isZero();
        assertThat(report.path("hits").asLong() + report.path("misses").asLong()).isEqualTo(5);

        PoolStats before = this.pool.stats();
        HttpResponse<String> second = load("small.safetensors");
        PoolStats after = this.pool.stats();
        assertThat(second.statusCode()).isEqualTo(200);
        // The first load's five buffers went back to the pool, so the second load takes them again, and
        // says so in its own response, which agrees with the pool's counters.
        JsonNode secondReport = new ObjectMapper().readTree(second.body());
        assertThat(secondReport.path("gets").asLong()).isEqualTo(5).isEqualTo(after.gets() - before.gets());
        assertThat(secondReport.path("hits").asLong()).isEqualTo(5)
                .isEqualTo((after.tlsHits() + after.shardHits()) - (before.tlsHits() + before.shardHits()));
        assertThat(secondReport.path("misses").asLong(-1)).isZero();
        assertThat(after.misses()).isEqualTo(before.misses());
        assertThat(secondReport.path("otherGets").asLong(-1)).isZero();
        assertEveryBufferIsBack();
    }

    @Test
    void hostileHeadersAre422WithTheReasonAndNeverA5xx() throws Exception {
        int depth = 100_000;
        Map<String, String> reasons = new LinkedHashMap<>();
        // A strict reader takes nothing deep: only a field it skips can nest past the limit.
        reasons.put("{\"w\":{\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}}", "nesting depth (9) exceeds the maximum allowed (8");
        reasons.put("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648],\"data_offsets\":[0,4]}}",
                "tensor \\\"w\\\" is F32 [2147483648, 2147483648], more than 9223372036854775807 bytes");
        reasons.put("{\"w\":{\"dtype\":\"U8\",\"shape\":[" + "9".repeat(400) + "],\"data_offsets\":[0,4]}}",
                "Number value length (400) exceeds the maximum allowed (19");
        reasons.put("{\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4000]}}",
                "data_offsets span 4000");
        reasons.put("{\"w\":{\"dtype\":\"U8\",\"shape\":[4000],\"data_offsets\":[0,4000]}}",
                "tensors cover 4000 bytes but the data section has 4");
        reasons.put("[1, 2, 3]", "header is not a JSON object but an array");
        reasons.put("{\"__metadata__\":{\"k\":\"" + "x".repeat(16 * 1024 * 1024 + 1) + "\"}}",
                "String value length (16777217) exceeds the maximum allowed (16777216");
        int i = 0;
        for (Map.Entry<String, String> hostile : reasons.entrySet()) {
            String name = "hostile-" + i++ + ".safetensors";
            assertThat(upload(name, withHeader(hostile.getKey(), 4)).statusCode()).isEqualTo(201);
            HttpResponse<String> response = load(name);
            assertThat(response.statusCode()).as(hostile.getValue()).isEqualTo(422);
            assertThat(response.body()).as(name).contains(hostile.getValue());
        }
        assertEveryBufferIsBack();
    }

    @Test
    void aTensorLargerThanOneBufferIs422BeforeAnyBufferIsTaken() throws Exception {
        long size = Integer.MAX_VALUE + 1L;
        Path file = storage.resolve("huge.safetensors");
        Files.write(file, withHeader("{\"huge\":{\"dtype\":\"U8\",\"shape\":[" + size + "],\"data_offsets\":[0," + size
                + "]}}", 0));
        // A sparse file: its 2 GiB of data take no disk space, and the loader refuses before reading any.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[1]), Files.size(file) + size - 1);
        }
        long getsBefore = this.pool.stats().gets();

        HttpResponse<String> response = load("huge.safetensors");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("tensor \\\"huge\\\" is 2147483648 bytes; each tensor loads into one "
                + "buffer of at most 2147483647 bytes");
        assertThat(this.pool.stats().gets()).isEqualTo(getsBefore);
        Files.delete(file);
    }

    @Test
    void aFileThatIsNotSafetensorsIs422WithTheReason() throws Exception {
        byte[] noise = new byte[5000];
        new Random(11).nextBytes(noise);
        noise[7] = 0; // a header length far beyond the file, whatever the other bytes
        upload("noise.bin", noise);
        HttpResponse<String> response = load("noise.bin");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("not a safetensors file: header length");

        byte[] model = safetensors(TENSORS);
        upload("cut.safetensors", Arrays.copyOf(model, model.length - 1));
        HttpResponse<String> cut = load("cut.safetensors");
        assertThat(cut.statusCode()).isEqualTo(422);
        assertThat(cut.body()).contains("tensors cover " + TENSOR_BYTES + " bytes but the data section has "
                + (TENSOR_BYTES - 1));
        assertEveryBufferIsBack();
    }

    @Test
    void badNamesAre400AndMissingFilesAre404LikeForFiles() throws Exception {
        for (String name : new String[] { ".hidden", "..%2Fescape", "a%20b" }) {
            assertThat(load(name).statusCode()).as(name).isEqualTo(400);
        }
        HttpResponse<String> missing = load("never-uploaded.safetensors");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no such file");
    }

    @Test
    void aLoadForAClientThatAcceptsNoJsonIsRefusedAsAProblemNamingWhatItCanSend() throws Exception {
        // README: "Every refusal the application makes is an RFC 9457 problem ... whose detail names the bad
        // value and what is allowed"; a 406 is not among the few the container makes first
        upload("accept.safetensors", safetensors(TENSORS));
        HttpResponse<String> response = this.http.send(request("/models/accept.safetensors/load")
                .header("Accept", "application/xml").POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValue("application/problem+json");
        assertThat(response.body()).contains("application/xml").contains("application/json");
    }

    @Test
    void loadIsAPostBecauseItDoesWork() throws Exception {
        upload("get.safetensors", safetensors(TENSORS));
        HttpResponse<Void> get = this.http.send(request("/models/get.safetensors/load").GET().build(),
                BodyHandlers.discarding());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    /** Every buffer taken was handed back, kept or dropped by the pool; none is still out. */
    private void assertEveryBufferIsBack() {
        // The loader and the upload return their buffers before the response is written: no waiting.
        PoolStats stats = this.pool.stats();
        assertThat(stats.gets()).isPositive();
        assertThat(stats.kept() + stats.dropped()).isEqualTo(stats.gets());
        assertThat(stats.rejected()).isZero();
    }

    private byte[] safetensors(List<TensorSpec> tensors) throws IOException {
        Path file = this.scratch.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"), (tensor, offset, chunk) -> {
            for (int i = 0; i < chunk.limit(); i++) {
                chunk.put(i, (byte) (offset + i));
            }
        });
        return Files.readAllBytes(file);
    }

    /** A file of the format's layout with any header text, followed by {@code dataBytes} zero bytes. */
    private static byte[] withHeader(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array();
    }

    private HttpResponse<String> upload(String name, byte[] body) throws IOException, InterruptedException {
        return send(put("/files/" + name, body));
    }

    private HttpResponse<String> load(String name) throws IOException, InterruptedException {
        return this.http.send(request("/models/" + name + "/load").POST(BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
    }
}
