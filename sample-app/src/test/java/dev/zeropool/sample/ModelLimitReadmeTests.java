package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The README's example of a refused load ("many.safetensors", one-byte tensors), at the sample's own
 * settings (max-file-size 64MB, so at most 134217728 bytes of buffers per load).
 */
// settings of its own (a chunk size no other class uses): a context and storage folder of its own
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.storage.chunk-size=32KB")
class ModelLimitReadmeTests extends RunningSampleApp {

    private static final int README_TENSORS = 40_000;

    @Test
    void theReadmesManyTinyTensorsExampleIsRefusedAtTheSamplesSettings() throws Exception {
        byte[] model = ModelMemoryTests.tinyTensors(README_TENSORS);
        assertThat(send(put("/files/many.safetensors", model)).statusCode()).isEqualTo(201);

        HttpResponse<String> response = this.http.send(request("/models/many.safetensors/load")
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.body()).contains("\\\"many.safetensors\\\" (" + model.length + " bytes, " + README_TENSORS
                + " tensors) would hold " + README_TENSORS * 4096L + " bytes of buffers at once")
                .contains("a load may hold at most 134217728 bytes");
    }
}
