package dev.zeropool.benchmarks.jetty;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty server serving 1 MiB responses to concurrent clients, with one candidate {@link ByteBufferPool}
 * for the server: Jetty's default ({@code new ArrayByteBufferPool()}) or {@link ZeroPoolByteBufferPool}. Run
 * each candidate in a fresh JVM ({@code run-jetty.sh} does), since direct memory freed by one would
 * otherwise show up in the next. Prints one Markdown table row.
 *
 * <pre>
 * java -cp benchmarks.jar dev.zeropool.benchmarks.jetty.JettyServerLoad jetty|zeropool \
 *      [warmupSeconds=3] [burstSeconds=10] [concurrency=8] [idleTimeoutMillis=2000] [zeroPoolMaxMiB=64]
 * </pre>
 *
 * <p>Measured: completed requests per second during the burst; the JDK's direct memory in use (the
 * BufferPoolMXBean "direct", MemoryUsed) at its peak during the burst (sampled every 20 ms), at the end of the
 * burst, and after an idle period of three idle timeouts in which ZeroPool's {@code trim()} runs every half
 * timeout (as the Spring Boot starter schedules it; Jetty's pool has no idle trim), followed for both by two
 * {@code System.gc()} so that memory the pools let go is really freed; and the garbage collections during the
 * burst. The client is Jetty's {@code HttpClient} with heap buffers and its own default pool, the same for both
 * candidates, so the direct memory is the server's.
 */
public final class JettyServerLoad {

    private JettyServerLoad() {
    }

    public static void main(String[] args) throws Exception {
        String candidate = args.length > 0 ? args[0] : "zeropool";
        int warmupSeconds = intArg(args, 1, 3);
        int burstSeconds = intArg(args, 2, 10);
        int concurrency = intArg(args, 3, 8);
        Duration idleTimeout = Duration.ofMillis(intArg(args, 4, 2000));
        long zeroPoolMaxBytes = intArg(args, 5, 64) * 1024L * 1024L;

        ByteBufferPool pool;
        LongSupplier poolHeld;
        Runnable trim;
        String settings;
        Supplier<String> report;
        switch (candidate) {
            case "jetty" -> {
                ArrayByteBufferPool jetty = new ArrayByteBufferPool();
                pool = jetty;
                poolHeld = jetty::getDirectMemory;
                trim = () -> { };
                settings = "ArrayByteBufferPool() defaults: pooled up to " + jetty.getMaxCapacity() + " B";
                report = jetty::toString;
            }
            case "zeropool" -> {
                ZeroPoolByteBufferPool zeroPool = ZeroPoolByteBufferPool.owning(
                        BufferPool.builder().direct(true).maxPooledBytes(zeroPoolMaxBytes).idleTimeout(idleTimeout)
                                .build(),
                        BufferPool.builder().direct(false).idleTimeout(idleTimeout).build());
                pool = zeroPool;
                poolHeld = zeroPool::getDirectMemory;
                trim = () -> { // what the starter schedules; clear() would leave the handler threads' caches
                    zeroPool.directPool().trim();
                    zeroPool.heapPool().trim();
                };
                settings = "ZeroPoolByteBufferPool: maxPooledBytes " + zeroPoolMaxBytes / (1024 * 1024)
                        + " MiB, idleTimeout " + idleTimeout.toMillis() + " ms";
                report = () -> {
                    PoolStats stats = zeroPool.directStats();
                    return String.format(Locale.ROOT, "direct pool: gets %d, hit rate %.4f, dropped %d, pooled %d B",
                            stats.gets(), stats.hitRate(), stats.dropped(), stats.pooledBytes());
                };
            }
            default -> throw new IllegalArgumentException("candidate must be jetty or zeropool, was " + candidate);
        }

        Server server = new Server(new QueuedThreadPool(), null, pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new OneMebibyteHandler());
        server.start();
        HttpClient client = new HttpClient();
        client.setUseInputDirectByteBuffers(false);
        client.setUseOutputDirectByteBuffers(false);
        client.start();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            ClientLoad load = new ClientLoad(client, URI.create("http://localhost:" + connector.getLocalPort() + "/"),
                    OneMebibyteHandler.BODY_SIZE);
            load.run(concurrency, TimeUnit.SECONDS.toNanos(warmupSeconds));

            AtomicLong peak = new AtomicLong(DirectMemory.used());
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(DirectMemory.used(), Math::max), 0, 20,
                    TimeUnit.MILLISECONDS);
            long gcsBefore = collections();
            long start = System.nanoTime();
            long requests = load.run(concurrency, TimeUnit.SECONDS.toNanos(burstSeconds));
            double seconds = (System.nanoTime() - start) / 1e9;
            long gcs = collections() - gcsBefore;
            long atEnd = DirectMemory.used();
            long heldAtEnd = poolHeld.getAsLong();
            String reportAtEnd = report.get();
            sampler.shutdown();

            long idleEnd = System.nanoTime() + 3 * idleTimeout.toNanos();
            while (System.nanoTime() < idleEnd) {
                Thread.sleep(idleTimeout.toMillis() / 2); // a benchmark's idle period, not synchronisation
                trim.run();
            }
            for (int i = 0; i < 2; i++) {
                System.gc();
                Thread.sleep(200); // let the Cleaner thread free what the collection found
            }
            long afterIdle = DirectMemory.used();
            long heldAfterIdle = poolHeld.getAsLong();

            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
                    candidate, concurrency, requests / seconds, mib(peak.get()), mib(atEnd), mib(heldAtEnd),
                    mib(afterIdle), mib(heldAfterIdle), gcs);
            System.err.println(candidate + ": " + settings + "; at the end of the burst: " + reportAtEnd);
        } finally {
            sampler.shutdownNow();
            client.stop();
            server.stop();
            if (pool instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static int intArg(String[] args, int index, int fallback) {
        if (args.length <= index) {
            return fallback;
        }
        int value = Integer.parseInt(args[index]);
        if (value <= 0) {
            throw new IllegalArgumentException("argument " + index + " must be at least 1, was " + value);
        }
        return value;
    }
}
