package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.Floor;
import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Buffers held for a while and released by whichever thread comes by: two threads share
 * {@value #SLOTS} slots (an {@code AtomicReferenceArray}). Each operation takes a buffer, writes both
 * ends, swaps it into a random slot ({@code getAndSet}) and gives back the buffer it found there, if
 * any. This models a cache or a session table whose entries hold buffers: lifetimes are random, about
 * half the buffers are put by the other thread than took them, and the pool sees a steady state of
 * {@value #SLOTS} buffers out plus a flow of gets and puts in no particular order.
 *
 * <p>How to read it: operations (one get and, once the slots are full, one put) per microsecond over
 * both threads; higher is better. The {@code floor} keeps what a thread puts on that thread's stack,
 * whoever took it, so it is a fair floor here. ZeroPool prints its hit rate over the trial
 * ({@code [zeroPool]} in the log). Buffers left in the slots at the end are left to the garbage collector.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class ShuffleBenchmark {

    static final int SLOTS = 64;

    /** Bytes requested. */
    @Param("65536")
    public int size;

    /** The shared slots; each benchmark runs in its own JVM, so they hold one candidate's buffers only. */
    private final AtomicReferenceArray<Object> slots = new AtomicReferenceArray<>(SLOTS);

    @Benchmark
    public void zeroPool(ZeroPool pool) {
        Object found = swap(pool.take(size));
        if (found != null) {
            pool.give((ByteBuffer) found);
        }
    }

    @Benchmark
    public void floor(Floor pool) {
        Object found = swap(pool.take(size));
        if (found != null) {
            pool.give((ByteBuffer) found);
        }
    }

    @Benchmark
    public void jettyArrayPool(JettyArrayPool pool) {
        Object found = swap(pool.take(size));
        if (found != null) {
            pool.give((RetainableByteBuffer) found);
        }
    }

    @Benchmark
    public void nettyAdaptive(NettyAdaptive pool) {
        Object found = swap(pool.take(size));
        if (found != null) {
            pool.give((ByteBuf) found);
        }
    }

    /**
     * Puts {@code buffer} into a random slot and returns what was there. {@code getAndSet} is a full
     * fence: the writes to a buffer before it goes in happen-before the reads of whoever takes it out.
     */
    private Object swap(Object buffer) {
        return slots.getAndSet(ThreadLocalRandom.current().nextInt(SLOTS), buffer);
    }
}
