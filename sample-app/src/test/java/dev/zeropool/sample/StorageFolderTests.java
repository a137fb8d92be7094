package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
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

    /**
     * The storage folder is shared with whatever else writes under {@code java.io.tmpdir}: a folder there
     * whose name is a valid file name is no stored file (404 to read or load, not a 500 from reading a
     * folder), and an upload cannot replace it (409, not a 500 from the move). The folder stays as it was.
     */
    @Test
    void aNameThatIsAFolderIsNoFileToReadAndNoPlaceToWrite() throws Exception {
        Files.createDirectories(storage.resolve("a-folder"));

        HttpResponse<String> download = send(request("/files/a-folder").GET().build());
        HttpResponse<String> load = send(request("/models/a-folder/load").POST(BodyPublishers.noBody()).build());
        HttpResponse<String> upload = send(put("/files/a-folder", new byte[] { 1, 2, 3 }));

        assertThat(download.statusCode()).as(download.body()).isEqualTo(404);
        assertThat(download.body()).contains("no such file");
        assertThat(load.statusCode()).as(load.body()).isEqualTo(404);
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(409);
        assertThat(upload.body()).contains("'a-folder' is taken by a folder");
        assertThat(storage.resolve("a-folder")).isDirectory();
    }
}
