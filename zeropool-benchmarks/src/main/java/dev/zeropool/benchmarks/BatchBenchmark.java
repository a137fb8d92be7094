package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.Floor;
import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.PoolUsage;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Bursts: one thread takes {@value #BATCH} buffers of {@code size} bytes (4 KiB), writing both ends of
 * each, then gives them all back, in the order taken. One operation is one such batch. This is a
 * request that gathers many small buffers (a scatter read, a response assembled from chunks, a batch of
 * messages) before releasing them at once: far more buffers out at a time than a thread cache holds, so
 * the pool must keep a burst's worth in its shared tier to serve the next burst without allocating.
 *
 * <p>How to read it: microseconds per batch of {@value #BATCH} get+put pairs; lower is better. The
 * {@code floor} keeps 8 buffers per thread and size, so it allocates the rest of every batch: it is the
 * floor of the per-pair cost, not of this pattern. ZeroPool prints, for each measured iteration, its
 * misses and drops per batch ({@code [batch]} in the log): 0 and 0 mean the defaults keep the burst.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Thread)
public class BatchBenchmark {

    /** Buffers held at once in one operation. */
    static final int BATCH = 1000;

    /** Bytes requested. */
    @Param("4096")
    public int size;

    private final ByteBuffer[] buffers = new ByteBuffer[BATCH];
    private final RetainableByteBuffer[] retainables = new RetainableByteBuffer[BATCH];
    private final ByteBuf[] bufs = new ByteBuf[BATCH];

    @Benchmark
    public ByteBuffer[] zeroPool(ZeroPool pool, ZeroPoolBatches batches) {
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = pool.take(size);
        }
        for (int i = 0; i < BATCH; i++) {
            pool.give(buffers[i]);
        }
        batches.count++;
        return buffers;
    }

    @Benchmark
    public ByteBuffer[] floor(Floor pool) {
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = pool.take(size);
        }
        for (int i = 0; i < BATCH; i++) {
            pool.give(buffers[i]);
        }
        return buffers;
    }

    @Benchmark
    public RetainableByteBuffer[] jettyArrayPool(JettyArrayPool pool) {
        for (int i = 0; i < BATCH; i++) {
            retainables[i] = pool.take(size);
        }
        for (int i = 0; i < BATCH; i++) {
            pool.give(retainables[i]);
        }
        return retainables;
    }

    @Benchmark
    public ByteBuf[] nettyAdaptive(NettyAdaptive pool) {
        for (int i = 0; i < BATCH; i++) {
            bufs[i] = pool.take(size);
        }
        for (int i = 0; i < BATCH; i++) {
            pool.give(bufs[i]);
        }
        return bufs;
    }

    /**
     * Counts ZeroPool's batches and takes its counters around each measured iteration, so that misses
     * and drops can be printed per batch in the steady state, warm-up excluded.
     */
    @State(Scope.Thread)
    public static class ZeroPoolBatches {
        long count;
        private ZeroPool pool;
        private PoolUsage atStart;
        private boolean measured;

        @Setup(Level.Iteration)
        public void begin(ZeroPool pool, IterationParams iteration) {
            this.pool = pool;
            measured = iteration.getType() == IterationType.MEASUREMENT;
            count = 0;
            atStart = pool.usage();
        }

        @TearDown(Level.Iteration)
        public void end() {
            PoolUsage usage = pool.usage().minus(atStart);
            if (measured && count > 0) {
                System.out.printf(Locale.ROOT, "%n[batch] zeroPool: %d batches of %d, per batch: %.2f misses, "
                        + "%.2f dropped (%s)%n", count, BATCH, (double) usage.misses() / count,
                        (double) usage.dropped() / count, usage);
            }
        }
    }
}
