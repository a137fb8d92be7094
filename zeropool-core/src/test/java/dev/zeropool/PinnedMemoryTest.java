package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pinning measured by the kernel: VmLck in /proc/self/status counts the bytes this process has locked. */
class PinnedMemoryTest {

    private static final int MIB = 1 << 20;
    private static final Path STATUS = Path.of("/proc/self/status");

    @Test
    void pooledBuffersAreLockedInRamAndUnlockedWhenDroppedOrClosed() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs Linux /proc/self/status");
        long baseline = lockedBytes();
        BufferPool pool = BufferPool.builder().pinnedMemory(true).tlsCacheSize(0).numShards(1)
                .maxBuffersPerShard(4).maxPooledBytes(4L * MIB).maxBufferSize(4 * MIB).build();
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuffer buffer = pool.get(MIB);
            buffer.putLong(MIB - 8, i); // pinned buffers are ordinary buffers to the caller
            taken.add(buffer);
        }
        assertThat(pool.stats().pinnedBytes()).isEqualTo(5L * MIB);
        assertThat(lockedBytes() - baseline).isEqualTo(5L * MIB);

        taken.forEach(pool::put); // four fit in the shard, the fifth is dropped and so unlocked
        assertThat(pool.stats().dropped()).isEqualTo(1);
        assertThat(pool.stats().pinnedBytes()).isEqualTo(4L * MIB);
        assertThat(lockedBytes() - baseline).isEqualTo(4L * MIB);

        pool.close();
        assertThat(pool.stats().pinnedBytes()).isZero();
        assertThat(lockedBytes()).isEqualTo(baseline);
    }

    @Test
    void unpooledBuffersAreNotPinned() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs Linux /proc/self/status");
        long baseline = lockedBytes();
        try (BufferPool pool = BufferPool.builder().pinnedMemory(true).maxBufferSize(64 * 1024)
                .leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer pooled = pool.get(64 * 1024);
            assumeTrue(pool.stats().pinnedBytes() == 64 * 1024, "mlock works here");

            // pinning promises locked pooled memory; one large unpooled buffer past RLIMIT_MEMLOCK would
            // otherwise also switch pinning off for every later buffer
            ByteBuffer unpooled = pool.get(4 * MIB);
            assertThat(pool.stats().pinnedBytes()).isEqualTo(64 * 1024);
            assertThat(lockedBytes() - baseline).isEqualTo(64 * 1024);

            pool.put(unpooled);
            pool.put(pooled);
            assertThat(pool.stats().dropped()).isEqualTo(1);
            assertThat(pool.stats().pinnedBytes()).isEqualTo(64 * 1024);
        }
        assertThat(lockedBytes()).isEqualTo(baseline);
    }

    @Test
    void aPinnedBufferHandedOutAtCloseIsUnlockedWhenItComesBack() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs Linux /proc/self/status");
        long baseline = lockedBytes();
        BufferPool pool = BufferPool.builder().pinnedMemory(true).build();
        ByteBuffer buffer = pool.get(64 * 1024);
        pool.close();
        assertThat(lockedBytes() - baseline).isEqualTo(64 * 1024);
        pool.put(buffer);
        assertThat(lockedBytes()).isEqualTo(baseline);
        assertThat(pool.stats().pinnedBytes()).isZero();
    }

    @Test
    void withoutMlockBuffersStillWorkAndOneLineSaysWhy() {
        CapturingLogger log = new CapturingLogger();
        BufferFactory factory = new BufferFactory(true, MemoryLocker.unavailable("no mlock in this test"), log);
        for (int i = 0; i < 3; i++) {
            ByteBuffer buffer = factory.allocate(8192);
            buffer.put(8191, (byte) 1);
            assertThat(buffer.capacity()).isEqualTo(8192);
            factory.release(buffer);
        }
        assertThat(factory.pinnedBytes()).isZero();
        assertThat(log.lines).hasSize(1);
        assertThat(log.lines.get(0).level()).isEqualTo(System.Logger.Level.WARNING);
        assertThat(log.lines.get(0).message()).contains("not available").endsWith("no mlock in this test");
    }

    @Test
    void heapPoolsIgnorePinning() {
        try (BufferPool pool = BufferPool.builder().direct(false).pinnedMemory(true).build()) {
            pool.put(pool.get(4096));
            assertThat(pool.stats().pinnedBytes()).isZero();
        }
    }

    private static long lockedBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmLck:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmLck line in " + STATUS);
    }
}
