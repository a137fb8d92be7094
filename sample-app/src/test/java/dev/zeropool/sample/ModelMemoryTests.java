package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.PoolStats;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * What one upload can make one load take. Each tensor loads into its own pooled buffer, and a buffer is at
 * least {@code zeropool.min-buffer-size} (4 KiB), so a valid file of many one-byte tensors, which the upload
 * limit does not stop, would make the load hold thousands of times what the file holds: at the sample's
 * 64MB limit, about 1.2 million tensors, about 5 GB of direct memory. A load may hold at most twice
 * {@code sample.storage.max-file-size}: beyond that it is refused (422) before it takes a buffer.
 */
// settings of its own: a context whose pool no other class's loads have filled
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "zeropool.tls-cache-size=0", "sample.storage.max-file-size=8MB" })
class ModelMemoryTests extends RunningSampleApp {

    private static final int TENSORS = 30_000;

    @Test
    void aFileOfManyTinyTensorsIsRefusedBeforeTakingABuffer() throws Exception {
        byte[] model = tinyTensors(TENSORS); // 1.9 MB; 30,000 buffers of 4 KiB, 123 MB, against 16 MB allowed
        assertThat(send(put("/files/many.safetensors", model)).statusCode()).isEqualTo(201);
        PoolStats before = this.pool.stats();

        HttpResponse<String> response = this.http.send(request("/models/many.safetensors/load")
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.body()).contains("30000 tensors").contains(String.valueOf(TENSORS * 4096L))
                .contains(String.valueOf(16L << 20));
        assertThat(this.pool.stats().gets()).as("gets of the refused load").isEqualTo(before.gets());
        assertThat(this.pool.stats().allocatedBytes()).isEqualTo(before.allocatedBytes());
    }

    @Test
    void aFileOfFewerTinyTensorsLoads() throws Exception {
        int tensors = 4000; // 16 MB of 4 KiB buffers is the most allowed: 4000 take 16,384,000 bytes
        assertThat(send(put("/files/some.safetensors", tinyTensors(tensors))).statusCode()).isEqualTo(201);

        HttpResponse<String> response = this.http.send(request("/models/some.safetensors/load")
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"tensors\":" + tensors);
        PoolStats stats = this.pool.stats();
        assertThat(stats.kept() + stats.dropped()).isEqualTo(stats.gets());
    }

    /** A valid safetensors file of {@code count} U8 tensors of one element each. */
    private static byte[] tinyTensors(int count) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"U8\",\"shape\":[1],")
                    .append("\"data_offsets\":[").append(i).append(',').append(i + 1).append("]}");
        }
        byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + header.length + count).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array();
    }
}
