package dev.zeropool.sample;

import dev.zeropool.BufferPool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the sample's HTTP tests share: the running app's port and pool, a real HTTP client, requests to
 * paths of the app, and a fresh storage folder per test class. Subclasses are
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} tests.
 */
abstract class RunningSampleApp {

    /**
     * The app's storage folder: a new one for each test class, deleted after it. Spring caches a context
     * per configuration, so two subclasses with the same {@code @SpringBootTest} settings would share the
     * first one's folder after it was deleted: give each subclass settings of its own.
     */
    @TempDir
    static Path storage;

    @DynamicPropertySource
    static void storageFolder(DynamicPropertyRegistry registry) {
        registry.add("sample.storage.directory", storage::toString);
    }

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
