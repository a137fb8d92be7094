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

    /**
     * The pool's size classes are quarter steps (a 1 MiB + 4 byte tensor takes a 1.25 MiB buffer), not powers
     * of two: a file whose buffers take 11.6 MB, well within twice the 8 MB limit (16 MiB), must load.
     */
    @Test
    void aFileWhoseBuffersFitTheBoundLoads() throws Exception {
        int large = 7;
        int tiny = 600;
        long[] sizes = new long[large + tiny];
        java.util.Arrays.fill(sizes, 0, large, 4L * 262_145); // F32 [262145]: 1,048,580 bytes, class 1,310,720
        java.util.Arrays.fill(sizes, large, sizes.length, 4L); // F32 [1]: class 4096
        long held = large * 1_310_720L + tiny * 4096L;
        assertThat(held).isLessThanOrEqualTo(16L << 20);
        assertThat(send(put("/files/fits.safetensors", f32Tensors(sizes))).statusCode()).isEqualTo(201);

        HttpResponse<String> response = this.http.send(request("/models/fits.safetensors/load")
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).as("buffers of %d bytes; %s", held, response.body()).isEqualTo(200);
    }

    /** A valid safetensors file of F32 vectors of the given byte sizes (multiples of 4). */
    private static byte[] f32Tensors(long[] sizes) {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[")
                    .append(sizes[i] / 4).append("],\"data_offsets\":[").append(offset).append(',')
                    .append(offset + sizes[i]).append("]}");
            offset += sizes[i];
        }
        byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Math.toIntExact(8 + header.length + offset)).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array();
    }

    /** A valid safetensors file of {@code count} U8 tensors of one element each (ModelLimitReadmeTests too). */
    static byte[] tinyTensors(int count) {
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
