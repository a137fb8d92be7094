package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zeropool.PoolStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * An upload is acknowledged only when every byte sent is stored: bodies that are not raw bytes are refused
 * before anything is stored, and a body that stops short, over a raw socket as a failing client sends it,
 * leaves neither a partial file nor a damaged previous one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UploadIntegrityTests extends RunningSampleApp {

    private static final byte[] ORIGINAL = "original content".getBytes(StandardCharsets.UTF_8);

    /** Bounds a hung server; no test waits on it when the server behaves. */
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    @Test
    void aMultipartBodyIs415NamingTheAcceptedTypesAndNothingIsStored() throws Exception {
        String boundary = "zeropool-boundary";
        byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nhello\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = send(request("/files/multipart.bin")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(BodyPublishers.ofByteArray(form)).build());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("Content-Type 'multipart/form-data; boundary=" + boundary
                + "' is not accepted; send the body as application/octet-stream, or no Content-Type");
        assertThat(response.headers().firstValue("Accept")).hasValue("application/octet-stream");
        assertThat(storage.resolve("multipart.bin")).doesNotExist();
    }

    @Test
    void aFormOrAnyOtherTypeIs415AndTheExistingFileIsKept() throws Exception {
        assertThat(send(put("/files/typed.bin", ORIGINAL)).statusCode()).isEqualTo(201);
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "application/json",
                "not a media type")) {
            HttpResponse<String> response = send(request("/files/typed.bin").header("Content-Type", type)
                    .PUT(BodyPublishers.ofString("a=b&c=d")).build());
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(response.body()).as(type).contains("Content-Type '" + type + "' is not accepted")
                    .contains("application/octet-stream, or no Content-Type");
        }
        assertThat(storage.resolve("typed.bin")).hasBinaryContent(ORIGINAL);
        assertNoTemporaryFileAndEveryBufferBack();
    }

    @Test
    void octetStreamInAnyCaseAndWithParametersIsStoredByteForByte() throws Exception {
        HttpResponse<String> response = send(request("/files/octets.bin")
                .header("Content-Type", "Application/Octet-Stream; padding=none")
                .PUT(BodyPublishers.ofByteArray(ORIGINAL)).build());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(storage.resolve("octets.bin")).hasBinaryContent(ORIGINAL);
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400AndTheExistingFileIsKept() throws Exception {
        assertThat(send(put("/files/short.bin", ORIGINAL)).statusCode()).isEqualTo(201);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("/files/short.bin", "Content-Length: 1000"));
            out.write(new byte[500]);
            out.flush();
            // The client's body ends here, 500 bytes short; it can still read the answer.
            socket.shutdownOutput();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(response).startsWith("HTTP/1.1 400 ").contains("\"detail\":\"the body ended after 500 bytes "
                    + "of the 1000 that Content-Length declared; nothing was stored\"");
        }
        assertThat(storage.resolve("short.bin")).hasBinaryContent(ORIGINAL);
        assertNoTemporaryFileAndEveryBufferBack();
    }

    @Test
    void aChunkedBodyThatBreaksOffIs400AndNothingIsStored() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("/files/chunked.bin", "Transfer-Encoding: chunked"));
            out.write("1000\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[0x1000]);
            out.write("\r\n1000\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[100]);
            out.flush();
            socket.shutdownOutput();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(response).startsWith("HTTP/1.1 400 ")
                    .containsPattern("\"detail\":\"the body ended after \\d+ bytes; nothing was stored\"");
        }
        assertThat(storage.resolve("chunked.bin")).doesNotExist();
        assertNoTemporaryFileAndEveryBufferBack();
    }

    @Test
    void aClientThatDisconnectsMidBodyLeavesNoPartialFileAndTheExistingFileIsKept() throws Exception {
        assertThat(send(put("/files/gone.bin", ORIGINAL)).statusCode()).isEqualTo(201);
        long getsBefore = this.pool.stats().gets();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("/files/gone.bin", "Content-Length: 1000000"));
            out.write(new byte[100_000]);
            out.flush();
            // The server is mid-body once its temporary file exists; then the client goes away.
            await().atMost(Duration.ofSeconds(30)).until(() -> temporaryFiles().size() == 1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(this.pool.stats().gets()).isGreaterThan(getsBefore);
            assertNoTemporaryFileAndEveryBufferBack();
        });
        assertThat(storage.resolve("gone.bin")).hasBinaryContent(ORIGINAL);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("localhost", this.port);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return socket;
    }

    private static byte[] head(String path, String bodyHeader) {
        return ("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                + bodyHeader + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(storage)) {
            return files.filter((file) -> file.getFileName().toString().startsWith(".upload-")).toList();
        }
    }

    /** No partial upload left in the folder, and every buffer taken handed back (kept or dropped). */
    private void assertNoTemporaryFileAndEveryBufferBack() throws IOException {
        assertThat(temporaryFiles()).isEmpty();
        PoolStats stats = this.pool.stats();
        assertThat(stats.kept() + stats.dropped()).isEqualTo(stats.gets());
        assertThat(stats.rejected()).isZero();
    }
}
