package dev.zeropool.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real embedded Jetty server (no Spring) and a real Jetty HttpClient, both on one ZeroPoolByteBufferPool,
 * moving megabytes each way over loopback: every byte arrives, the pools serve the traffic, and once both
 * stop every buffer is back.
 */
class EmbeddedJettyTest {

    private static final int CLIENTS = 4;
    private static final int REQUESTS_PER_CLIENT = 3;
    private static final int MAX_CONTENT = 16 * 1024 * 1024;

    private final BufferPool directPool = BufferPool.builder().direct(true).build();
    private final BufferPool heapPool = BufferPool.builder().direct(false).build();
    private final ZeroPoolByteBufferPool pool = new ZeroPoolByteBufferPool(directPool, heapPool);
    private final MBeanContainer mbeans = new MBeanContainer(ManagementFactory.getPlatformMBeanServer());
    private Server server;
    private HttpClient client;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("server");
        server = new Server(threads, null, pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new EchoOrDownload());
        server.addBean(mbeans);
        server.start();
        base = URI.create("http://localhost:" + connector.getLocalPort());

        client = new HttpClient();
        client.setByteBufferPool(pool);
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop();
        }
        mbeans.destroy();
        directPool.close();
        heapPool.close();
    }

    @Test
    void largeUploadsAndDownloadsFromConcurrentClientsArriveByteIdentical() throws Exception {
        long directGetsBefore = directPool.stats().gets();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientId = c;
                results.add(clients.submit(exchanges(clientId)));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(2 * REQUESTS_PER_CLIENT);
            }
        } finally {
            clients.shutdownNow();
        }

        // Megabytes moved through buffers of tens of KiB: many acquires per request on both ends.
        assertThat(directPool.stats().gets() - directGetsBefore).isGreaterThan(10L * CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(directPool.stats().hitRate()).isGreaterThan(0.0);

        client.stop();
        server.stop();
        assertEveryBufferIsBack(directPool.stats(), pool.getDirectByteBuffersInUse());
        assertEveryBufferIsBack(heapPool.stats(), pool.getHeapByteBuffersInUse());
        assertThat(pool.getRemovedByteBufferCount()).isZero();
    }

    @Test
    void thePoolIsInTheServersDumpAndItsAttributesInJmx() throws Exception {
        byte[] body = randomBytes(1, 3 * 1024 * 1024);
        assertThat(upload(body)).isEqualTo(body);

        assertThat(server.dump()).contains("ZeroPoolByteBufferPool@").contains("direct: pooled=");

        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = mbeans.findMBean(pool);
        assertThat(name).as("the pool's MBean").isNotNull();
        long directGets = directPool.stats().gets();
        assertThat((Long) platform.getAttribute(name, "directMemory")).isEqualTo(pool.getDirectMemory());
        assertThat((Long) platform.getAttribute(name, "maxDirectMemory"))
                .isEqualTo(directPool.config().maxPooledBytes());
        assertThat((Double) platform.getAttribute(name, "directHitRate")).isBetween(0.0, 1.0);
        platform.invoke(name, "clear", new Object[0], new String[0]);
        assertThat(directPool.stats().gets()).as("reading attributes takes no buffer").isEqualTo(directGets);
    }

    private Callable<Integer> exchanges(int clientId) {
        return () -> {
            int verified = 0;
            for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                int size = (2 + r) * 1024 * 1024 + clientId * 4099; // 2-4 MiB, not a multiple of any buffer
                long seed = clientId * 100L + r;
                byte[] body = randomBytes(seed, size);
                byte[] echoed = upload(body);
                assertIdentical(echoed, body, "echo of upload " + seed);
                verified++;

                byte[] downloaded = download(seed, size);
                assertIdentical(downloaded, randomBytes(seed, size), "download " + seed);
                verified++;
            }
            return verified;
        };
    }

    private byte[] upload(byte[] body) throws Exception {
        var request = client.newRequest(base.resolve("/echo")).method(HttpMethod.POST)
                .body(new BytesRequestContent(body));
        ContentResponse response = new CompletableResponseListener(request, MAX_CONTENT).send()
                .get(1, TimeUnit.MINUTES);
        assertThat(response.getStatus()).isEqualTo(200);
        return response.getContent();
    }

    private byte[] download(long seed, int size) throws Exception {
        var request = client.newRequest(base.resolve("/download?seed=" + seed + "&size=" + size));
        ContentResponse response = new CompletableResponseListener(request, MAX_CONTENT).send()
                .get(1, TimeUnit.MINUTES);
        assertThat(response.getStatus()).isEqualTo(200);
        return response.getContent();
    }

    private static void assertIdentical(byte[] actual, byte[] expected, String what) {
        assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as(what + ": first differing byte").isEqualTo(-1);
    }

    /** ZeroPool's public books balance: every get is a put, or a buffer Jetty still holds (none, once stopped). */
    private static void assertEveryBufferIsBack(PoolStats stats, long inUse) {
        assertThat(inUse).as("buffers Jetty still holds").isZero();
        assertThat(stats.puts() + inUse).as("puts + outstanding").isEqualTo(stats.gets());
        assertThat(stats.rejected()).isZero();
    }

    static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                bytes[i + b] = (byte) (value >>> (8 * b));
            }
        }
        return bytes;
    }

    /** POST /echo streams the body back; GET /download?seed=&size= writes seeded bytes in 64 KiB writes. */
    private static final class EchoOrDownload extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if ("/echo".equals(Request.getPathInContext(request))) {
                Content.copy(request, response, callback);
                return true;
            }
            var parameters = Request.extractQueryParameters(request);
            long seed = Long.parseLong(parameters.getValue("seed"));
            int size = Integer.parseInt(parameters.getValue("size"));
            response.getHeaders().put("Content-Length", String.valueOf(size));
            new Writer(response, ByteBuffer.wrap(randomBytes(seed, size)), callback).succeeded();
            return true;
        }
    }

    /** Writes a body in 64 KiB pieces, each after the last completed, so the server's buffers cycle. */
    private static final class Writer implements Callback {
        private final Response response;
        private final ByteBuffer body;
        private final Callback done;

        Writer(Response response, ByteBuffer body, Callback done) {
            this.response = response;
            this.body = body;
            this.done = done;
        }

        @Override
        public void succeeded() {
            if (!body.hasRemaining()) {
                response.write(true, null, done);
                return;
            }
            ByteBuffer piece = body.slice();
            piece.limit(Math.min(piece.remaining(), 64 * 1024));
            body.position(body.position() + piece.remaining());
            response.write(false, piece, this);
        }

        @Override
        public void failed(Throwable x) {
            done.failed(x);
        }
    }
}
