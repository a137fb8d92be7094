package dev.zeropool.sample;

import dev.zeropool.BufferPool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the sample's HTTP tests share: the running app's port and pool, a real HTTP client, and requests
 * to paths of the app. Subclasses are {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} tests with
 * their own storage folder.
 */
abstract class RunningSampleApp {

    @LocalServerPort
    int port;

    @Autowired
    BufferPool pool;

    final HttpClient http = HttpClient.newHttpClient();

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return this.http.send(request, BodyHandlers.ofString());
    }

    HttpRequest put(String path, byte[] body) {
        return request(path).PUT(BodyPublishers.ofByteArray(body)).build();
    }
}
