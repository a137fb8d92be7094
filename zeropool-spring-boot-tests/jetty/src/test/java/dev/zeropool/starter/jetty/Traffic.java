package dev.zeropool.starter.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Concurrent clients moving megabytes through a running application: each uploads to {@code /echo} and
 * downloads {@code /blob/{size}/{seed}}, and checks every byte that comes back.
 */
public final class Traffic {

    private Traffic() {
    }

    /**
     * Runs {@code clients} clients, each making {@code rounds} uploads of {@code uploadSize} bytes and as
     * many downloads of {@code downloadSize} bytes, on its own HTTP/1.1 client.
     *
     * @return the bytes that went through, both ways
     */
    public static long run(int port, int clients, int rounds, int uploadSize, int downloadSize) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> client(port, client, rounds, uploadSize, downloadSize)));
            }
            long bytes = 0;
            for (Future<Long> future : done) {
                bytes += future.get();
            }
            return bytes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long client(int port, int client, int rounds, int uploadSize, int downloadSize) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            long seed = client * 1000L + round;
            byte[] upload = Blob.of(uploadSize, seed);
            HttpResponse<byte[]> echoed = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/echo"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).as("echo of %d bytes, client %d round %d", uploadSize, client, round)
                    .isEqualTo(upload);
            HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/blob/" + downloadSize + "/" + seed)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(blob.body()).as("blob of %d bytes, client %d round %d", downloadSize, client, round)
                    .isEqualTo(Blob.of(downloadSize, seed));
            bytes += 2L * uploadSize + downloadSize;
        }
        return bytes;
    }
}
