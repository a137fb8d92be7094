package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.PoolUsage;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.RetainableByteBuffer;
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
 * A thread-per-request server under load: tasks on a {@value #WORKERS}-thread {@code ThreadPoolExecutor},
 * each task on a <b>fresh</b> worker thread. Tasks are submitted one at a time and each is waited for;
 * while the executor has fewer than {@value #WORKERS} workers, every submission starts a new one
 * (the core-pool rule), and after {@value #WORKERS} tasks the executor is shut down, its threads end,
 * and a new one takes over. Each task takes the 148 buffers of a small transformer checkpoint
 * ({@link WorkerTensors}: 3 KiB to 384 KiB, about 14.5 MiB), writing both ends of each, and then gives
 * them all back. So no thread ever finds a buffer it returned itself: everything a task gets must come
 * from what earlier, now idle or dead, threads gave back.
 *
 * <p>How to read it: microseconds per task, lower is better; starting the worker thread, the hand-off
 * and, once per {@value #WORKERS} tasks, replacing the executor are included and cost every candidate
 * the same. ZeroPool prints at the end ({@code [worker pool]} in the log) the hit rate of the gets
 * made from the 4th task of each executor on (the pool has seen three tasks' worth of buffers by then)
 * and the drops over the same tasks; its trial totals follow ({@code [zeroPool]}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class WorkerPoolLoadBenchmark {

    /** Worker threads per executor, and tasks per executor. */
    static final int WORKERS = 200;
    /** Tasks of each executor before its hit rate counts (0-based index of the 4th task). */
    static final int COUNTED_FROM_TASK = 3;

    private static final int[] SIZES = WorkerTensors.bytes();

    @Benchmark
    public void zeroPool(ZeroPool pool, ZeroPoolWorkers workers) throws Exception {
        workers.run(() -> {
            ByteBuffer[] held = new ByteBuffer[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) {
                held[i] = pool.take(SIZES[i]);
            }
            for (ByteBuffer buffer : held) {
                pool.give(buffer);
            }
        });
    }

    @Benchmark
    public void jettyArrayPool(JettyArrayPool pool, Workers workers) throws Exception {
        workers.run(() -> {
            RetainableByteBuffer[] held = new RetainableByteBuffer[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) {
                held[i] = pool.take(SIZES[i]);
            }
            for (RetainableByteBuffer buffer : held) {
                pool.give(buffer);
            }
        });
    }

    @Benchmark
    public void nettyAdaptive(NettyAdaptive pool, Workers workers) throws Exception {
        workers.run(() -> {
            ByteBuf[] held = new ByteBuf[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) {
                held[i] = pool.take(SIZES[i]);
            }
            for (ByteBuf buffer : held) {
                pool.give(buffer);
            }
        });
    }

    /** The executor of the moment and how many tasks it has run; replaced every {@value #WORKERS} tasks. */
    @State(Scope.Benchmark)
    public static class Workers {
        private final AtomicInteger threadNumber = new AtomicInteger();
        private ThreadPoolExecutor executor;
        private int tasks;

        @Setup(Level.Trial)
        public void open() {
            executor = newExecutor();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            retire();
            report();
        }

        /** Runs {@code task} on a new worker of the current executor and waits for it. */
        void run(Runnable task) throws InterruptedException, ExecutionException {
            if (tasks == WORKERS) {
                retire();
                countingEnds();
                executor = newExecutor();
                tasks = 0;
            }
            if (tasks == COUNTED_FROM_TASK) {
                countingStarts();
            }
            executor.submit(task).get();
            tasks++;
        }

        /** Shuts the executor down and waits until its threads have ended. */
        private void retire() throws InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("workers did not end within a minute");
            }
        }

        /**
         * Core pool size {@value #WORKERS}: {@code execute} starts a new thread for each task while fewer
         * than that many exist, even if others are idle. Daemon threads, so a failed trial cannot hang
         * the fork.
         */
        private ThreadPoolExecutor newExecutor() {
            return new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "worker-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }

        /** Called before the first counted task of an executor. */
        void countingStarts() {
        }

        /** Called once an executor that ran all its {@value #WORKERS} tasks has ended, threads included. */
        void countingEnds() {
        }

        /** Called at the end of the trial, after the last executor has ended. */
        void report() {
        }
    }

    /**
     * {@link Workers} for ZeroPool: the pool's counters before the 4th task of each executor and after the
     * executor has ended (so what its ending threads' caches give back counts too), summed over the executors
 * that ran all their tasks (the trial's last one usually does not and is left out).
     */
    @State(Scope.Benchmark)
    public static class ZeroPoolWorkers extends Workers {
        private ZeroPool pool;
        private PoolUsage atStart;
        private PoolUsage counted = new PoolUsage(0, 0, 0, 0, 0);
        private int executors;

        @Setup(Level.Trial)
        public void attach(ZeroPool pool) {
            this.pool = pool;
        }

        @Override
        void countingStarts() {
            atStart = pool.usage();
        }

        @Override
        void countingEnds() {
            counted = counted.plus(pool.usage().minus(atStart));
            executors++;
        }

        @Override
        void report() {
            System.out.printf("%n[worker pool] zeroPool, tasks %d-%d of each of %d executors: %s%n",
                    COUNTED_FROM_TASK + 1, WORKERS, executors, counted);
        }
    }
}
