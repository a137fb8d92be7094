package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.FileSystemUtils;

/**
 * The storage folder is made at start-up, by default under {@code java.io.tmpdir}, which tmp cleaners empty
 * while a service runs. An upload that then cannot store its body did nothing wrong: it must not be
 * answered as a client's mistake, least of all as {@code 404 no such file}, which the README keeps for a
 * file that is asked for and does not exist.
 */
// settings of its own, so this class has a context (and a storage folder) of its own: it removes the folder
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.storage.chunk-size=16KB")
class StorageFolderTests extends RunningSampleApp {

    @Test
    void anUploadIntoAStorageFolderThatWasRemovedIsNotA404NoSuchFile() throws Exception {
        FileSystemUtils.deleteRecursively(storage);
        try {
            HttpResponse<String> response = send(put("/files/kept.bin", "content".getBytes()));
            assertThat(response.statusCode()).as(response.body()).isNotEqualTo(404);
            assertThat(response.body()).doesNotContain("no such file");
        } finally {
            Files.createDirectories(storage); // for the @TempDir clean-up
        }
    }
}
