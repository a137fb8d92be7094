package dev.zeropool.benchmarks;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import dev.zeropool.benchmarks.checkpoint.CheckpointFiles;
import dev.zeropool.benchmarks.checkpoint.CheckpointLocation;
import dev.zeropool.benchmarks.checkpoint.Gpt2Small;
import dev.zeropool.safetensors.SafetensorsFile;
import dev.zeropool.safetensors.TensorLoader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The headline workload: a service loading a GPT-2 small checkpoint (148 float32 tensors, 475 MiB,
 * safetensors layout), tensor by tensor through a {@code FileChannel}, holding the whole model, then
 * releasing it, again and again (as when it swaps models). One operation is one full load and release;
 * the time is per load. The file is generated once with random weights ({@link CheckpointFiles}) and
 * stays in the page cache, so this measures allocation and copying, not the disk.
 *
 * <ul>
 *   <li>{@code limit}: one preallocated set of exactly sized direct buffers, reused: only the reads;
 *   <li>{@code zeroPool}: buffers from a {@link BufferPool} able to keep the whole model (largest
 *       class 256 MiB for the 148 MiB token embedding, 256 buffers per shard, 1 GiB bound);
 *   <li>{@code nettyPooled}: Netty's pooled direct allocator, default tuning (tensors above its chunk
 *       size are allocated and freed per load);
 *   <li>{@code allocateDirectPerTensor}: a fresh direct buffer per tensor, freed by the GC;
 *   <li>{@code heapPerTensor}: a fresh heap buffer per tensor (the JDK reads through a temporary
 *       direct buffer and copies).
 * </ul>
 * Target: {@code zeroPool} within 1.15x of {@code limit}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:MaxDirectMemorySize=2g"})
@State(Scope.Thread)
public class CheckpointLoadBenchmark {

    private SafetensorsFile file;
    private TensorLoader loader;
    private ByteBuffer[] held;

    @Setup(Level.Trial)
    public void openCheckpoint() throws IOException {
        Path path = CheckpointLocation.path();
        if (CheckpointFiles.ensure(path, Gpt2Small.tensors(), 124)) {
            System.out.println("\n[checkpoint] generated " + path);
        }
        file = SafetensorsFile.open(path);
        loader = new TensorLoader(file);
        held = new ByteBuffer[loader.tensorCount()];
    }

    @TearDown(Level.Trial)
    public void closeCheckpoint() throws IOException {
        file.close();
    }

    @Benchmark
    public long limit(Preallocated buffers) throws IOException {
        loader.load(size -> buffers.next().clear(), held);
        return lastBytes(held) + buffers.rewind();
    }

    @Benchmark
    public long zeroPool(ZeroPoolForModel pool) throws IOException {
        loader.load(pool.pool::get, held);
        long check = lastBytes(held);
        for (ByteBuffer buffer : held) {
            pool.pool.put(buffer);
        }
        Arrays.fill(held, null);
        return check;
    }

    @Benchmark
    public long nettyPooled(NettyForModel netty) throws IOException {
        ByteBuf[] model = netty.model;
        long check = 0;
        for (int i = 0; i < model.length; i++) {
            int size = loader.tensorBytes(i);
            ByteBuf buffer = netty.allocator.directBuffer(size, size);
            loader.read(i, buffer.nioBuffer(0, size));
            buffer.writerIndex(size);
            check += buffer.getByte(size - 1);
            model[i] = buffer;
        }
        for (int i = 0; i < model.length; i++) {
            model[i].release();
            model[i] = null;
        }
        return check;
    }

    @Benchmark
    public long allocateDirectPerTensor() throws IOException {
        loader.load(ByteBuffer::allocateDirect, held);
        long check = lastBytes(held);
        Arrays.fill(held, null); // the model is dropped; its memory waits for the GC
        return check;
    }

    @Benchmark
    public long heapPerTensor() throws IOException {
        loader.load(ByteBuffer::allocate, held);
        long check = lastBytes(held);
        Arrays.fill(held, null);
        return check;
    }

    /** A checksum of the last byte of every loaded tensor, for the blackhole, as nettyPooled computes it. */
    private static long lastBytes(ByteBuffer[] held) {
        long check = 0;
        for (ByteBuffer buffer : held) {
            check += buffer.get(buffer.limit() - 1);
        }
        return check;
    }

    /** The limit's buffers: one exactly sized direct buffer per tensor, allocated once per trial. */
    @State(Scope.Thread)
    public static class Preallocated {
        private ByteBuffer[] buffers;
        private int next;

        @Setup(Level.Trial)
        public void allocate(CheckpointLoadBenchmark benchmark) {
            TensorLoader loader = benchmark.loader;
            buffers = new ByteBuffer[loader.tensorCount()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocateDirect(loader.tensorBytes(i));
            }
        }

        ByteBuffer next() {
            return buffers[next++];
        }

        int rewind() {
            next = 0;
            return 0;
        }
    }

    /**
     * A pool sized to keep one whole model: the token embedding (148 MiB) needs a 256 MiB largest
     * class (the default is 64 MiB, above which buffers are not pooled); one loader thread returns all
     * 148 buffers to its home shard, so a shard must hold 256; and the bound, 1 GiB, covers the model
     * rounded up to size classes (at most 25% more). Prints the pool's statistics at the end.
     */
    @State(Scope.Thread)
    public static class ZeroPoolForModel {
        BufferPool pool;

        @Setup(Level.Trial)
        public void open() {
            pool = BufferPool.builder()
                    .maxBufferSize(256 << 20)
                    .maxBuffersPerShard(256)
                    .maxPooledBytes(1L << 30)
                    .build();
        }

        @TearDown(Level.Trial)
        public void close() {
            PoolStats stats = pool.stats();
            pool.close();
            System.out.printf("%n[checkpoint] zeroPool: hit rate %.4f (%d gets, %d misses), pooled %d bytes, "
                    + "allocated %d bytes, dropped %d%n", stats.hitRate(), stats.gets(), stats.misses(),
                    stats.pooledBytes(), stats.allocatedBytes(), stats.dropped());
        }
    }

    /** Netty's pooled allocator, direct, default tuning, with room to hold one model. */
    @State(Scope.Thread)
    public static class NettyForModel {
        PooledByteBufAllocator allocator;
        ByteBuf[] model;

        @Setup(Level.Trial)
        public void open(CheckpointLoadBenchmark benchmark) {
            allocator = new PooledByteBufAllocator(true);
            model = new ByteBuf[benchmark.loader.tensorCount()];
        }
    }
}
