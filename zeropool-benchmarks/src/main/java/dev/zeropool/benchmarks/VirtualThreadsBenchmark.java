package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.Floor;
import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Virtual threads: a service that runs each request on its own virtual thread, many more threads than
 * cores. One operation is a batch of {@value #PAIRS_PER_BATCH} get + write both ends + put pairs shared
 * among {@code threads} fresh virtual threads ({@value #PAIRS_PER_BATCH} / {@code threads} pairs each),
 * all started at once on two carrier threads ({@code jdk.virtualThreadScheduler.parallelism=2}); each
 * virtual thread yields its carrier every {@value #YIELD_EVERY} pairs, so with 64 threads they
 * interleave on the carriers as request handlers waiting on I/O would.
 *
 * <p>How to read it: the score is get+put pairs per microsecond, creating, scheduling and joining the
 * virtual threads included (the same for every candidate); higher is better. Thread-confined caching
 * does not help here: the {@code floor} (a {@code ThreadLocal} stack) starts empty on every new virtual
 * thread and allocates its first buffer, and ZeroPool gives virtual threads no thread cache by design,
 * so it serves them from its shards; it prints its hit rate over the trial ({@code [zeroPool]} in the log).
 *
 * <p>Needs JDK 21+ (the module compiles for 17 and finds virtual threads at run time); on older JDKs the
 * setup fails with a message and {@code run-all.sh} leaves the benchmark out.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
// Two forks: with 64 virtual threads one fork's figure moved from 0.99x to 2.40x Jetty's between full
// runs, and a 4-fork run of the same build gave 1.52x; how the scheduler interleaves them varies by JVM.
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g",
        "-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2"})
@State(Scope.Benchmark)
public class VirtualThreadsBenchmark {

    /** Pairs per operation (batch), divided evenly among the virtual threads. */
    static final int PAIRS_PER_BATCH = 16384;
    /** Pairs a virtual thread does between two {@link Thread#yield()}s. */
    static final int YIELD_EVERY = 64;

    /** Virtual threads per batch: as many as carriers, and many more. Divides {@value #PAIRS_PER_BATCH}. */
    @Param({"2", "64"})
    public int threads;

    /** Bytes requested. */
    @Param("65536")
    public int size;

    private ThreadFactory factory;

    @Setup(Level.Trial)
    public void open() {
        factory = VirtualThreads.factory();
        if (PAIRS_PER_BATCH % threads != 0) {
            throw new IllegalArgumentException("threads must divide " + PAIRS_PER_BATCH + ": " + threads);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS_PER_BATCH)
    public void zeroPool(ZeroPool pool) throws InterruptedException {
        batch(() -> pool.give(pool.take(size)));
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS_PER_BATCH)
    public void floor(Floor pool) throws InterruptedException {
        batch(() -> pool.give(pool.take(size)));
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS_PER_BATCH)
    public void jettyArrayPool(JettyArrayPool pool) throws InterruptedException {
        batch(() -> pool.give(pool.take(size)));
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS_PER_BATCH)
    public void nettyAdaptive(NettyAdaptive pool) throws InterruptedException {
        batch(() -> pool.give(pool.take(size)));
    }

    /** Runs {@code pair} {@value #PAIRS_PER_BATCH} times over {@code threads} new virtual threads; waits for all. */
    private void batch(Runnable pair) throws InterruptedException {
        int pairsEach = PAIRS_PER_BATCH / threads;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable task = () -> {
            try {
                for (int i = 1; i <= pairsEach; i++) {
                    pair.run();
                    if (i % YIELD_EVERY == 0) {
                        Thread.yield();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        Thread[] started = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            started[i] = factory.newThread(task);
            started[i].start();
        }
        for (Thread thread : started) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a virtual thread failed", failure.get());
        }
    }
}
