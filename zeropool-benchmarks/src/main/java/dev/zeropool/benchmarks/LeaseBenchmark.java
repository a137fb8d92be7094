package dev.zeropool.benchmarks;

import dev.zeropool.BufferLease;
import dev.zeropool.BufferPool;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@link BufferPool#lease(int)} costs over {@code get} + {@code put}, one thread, default pool, same
 * touch of the buffer as {@link GetPutLatencyBenchmark}:
 * <ul>
 *   <li>{@code getPut}: {@code get}, touch, {@code put} in {@code try/finally};
 *   <li>{@code lease}: the same in try-with-resources; the lease does not escape, so the JIT can remove
 *       it (run with {@code -prof gc}: 0 B/op means it did);
 *   <li>{@code leaseEscaping}: the lease is passed to a method the JIT is told not to inline, so it must
 *       exist on the heap: the cost of a lease that escapes.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class LeaseBenchmark {

    @Param("65536")
    public int size;

    private BufferPool pool;

    @Setup(Level.Trial)
    public void open() {
        pool = new BufferPool();
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.printf("%n[lease] %s%n", pool.stats());
        pool.close();
    }

    @Benchmark
    public void getPut(Blackhole blackhole) {
        ByteBuffer buffer = pool.get(size);
        try {
            touch(buffer, blackhole);
        } finally {
            pool.put(buffer);
        }
    }

    @Benchmark
    public void lease(Blackhole blackhole) {
        try (BufferLease lease = pool.lease(size)) {
            touch(lease.buffer(), blackhole);
        }
    }

    @Benchmark
    public void leaseEscaping(Blackhole blackhole) {
        try (BufferLease lease = pool.lease(size)) {
            touchOutOfLine(lease, blackhole);
        }
    }

    private void touch(ByteBuffer buffer, Blackhole blackhole) {
        buffer.put(0, (byte) 1);
        buffer.put(size - 1, (byte) 2);
        blackhole.consume(buffer);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void touchOutOfLine(BufferLease lease, Blackhole blackhole) {
        touch(lease.buffer(), blackhole);
    }
}
