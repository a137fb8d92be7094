package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Virtual threads (JDK 21+) use the shards directly: no cache per virtual thread, and still reuse. */
class VirtualThreadTest {

    private static final int TASKS = 1_000_000;

    @Test
    void virtualThreadsReuseBuffersWithoutACachePerThread() throws Exception {
        ExecutorService executor = virtualThreadPerTaskExecutor();
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(4).build()) {
            for (int i = 0; i < TASKS; i++) {
                executor.execute(() -> {
                    ByteBuffer buffer = pool.get(64 * 1024);
                    buffer.put(0, (byte) 1);
                    pool.put(buffer);
                });
            }
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            PoolStats stats = pool.stats();
            assertThat(stats.gets()).isEqualTo(TASKS);
            assertThat(pool.threadCacheCount()).isZero();
            assertThat(stats.tlsHits()).isZero();
            assertThat(stats.hitRate()).isGreaterThan(0.95);
            assertThat(stats.pooledBytes()).isLessThanOrEqualTo(pool.config().maxPooledBytes());
        } finally {
            executor.shutdownNow();
        }
    }

    /** Executors.newVirtualThreadPerTaskExecutor() exists from JDK 21; the build targets 17. */
    private static ExecutorService virtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21+, this is " + Runtime.version() + ": skipped (it runs on JDK 25 in CI)");
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }
}
