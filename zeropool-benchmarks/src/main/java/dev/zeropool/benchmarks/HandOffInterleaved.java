package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.PoolUsage;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.openjdk.jmh.infra.Control;

/**
 * {@link HandOffBenchmark}'s one-to-one hand-off (its ring, its 64 KiB buffers written at both ends),
 * with the candidates taking turns on the same two threads of one JVM instead of in JMH forks run one
 * after another: the ring alone (one buffer handed over again and again, no pool), ZeroPool, Jetty 12.1,
 * each for a phase, cycle after cycle.
 *
 * <p>Why it exists: on the project's shared 2-vCPU machine a hand-off's throughput changes about
 * threefold, for seconds or minutes at a time, for ZeroPool and Jetty alike: the machine's cost of moving
 * a cache line between the two cores changes under it (see {@link CrossCoreProbe}). JMH forks measured
 * minutes apart can so land in different states, and their ratio says as much about the machine as about
 * the pools. Here a cycle's phases are a second apart, and each cycle's ZeroPool-to-Jetty ratio compares
 * the pools in the same state. JMH's {@code HandOffBenchmark} stays the measurement of record; this one
 * tells a slower pool from a slower machine.
 *
 * <p>{@code java -cp zeropool-benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.HandOffInterleaved
 * [cycles] [phase ms]}: by default 40 cycles of three 500 ms phases, each after 250 ms to settle (about
 * 1.5 minutes), on an otherwise idle machine. Prints the cross-core round trip before and after, one line
 * per cycle (items handed over per microsecond), the medians, and ZeroPool's hits and drops.
 */
public final class HandOffInterleaved {

    private static final int SIZE = 65536;
    private static final String[] PHASES = {"ring alone", "zeroPool", "jettyArrayPool"};
    private static final int RING_ALONE = 0;
    private static final int ZERO_POOL = 1;
    private static final int JETTY = 2;

    private final ZeroPool zeroPool = new ZeroPool();
    private final JettyArrayPool jetty = new JettyArrayPool();
    /** What the ring alone hands over: one buffer, written as a pool's would be, never given back. */
    private final ByteBuffer ringAloneBuffer = ByteBuffer.allocateDirect(SIZE);
    private final AtomicLong consumed = new AtomicLong(); // written by the consumer thread only
    private final Control control = new Control();
    private volatile int phase = RING_ALONE;

    private HandOffInterleaved() {
        zeroPool.open();
        jetty.open();
    }

    public static void main(String[] args) throws InterruptedException {
        int cycles = args.length > 0 ? atLeastOne(args[0], "cycles") : 40;
        int phaseMillis = args.length > 1 ? atLeastOne(args[1], "phase ms") : 500;
        System.out.println("before: cross-core round trip " + CrossCoreProbe.roundTripNanos(25, 2_000_000L) + " ns");
        measure(cycles, phaseMillis, System.out);
        System.out.println("after: cross-core round trip " + CrossCoreProbe.roundTripNanos(25, 2_000_000L) + " ns");
    }

    private static int atLeastOne(String arg, String name) {
        int value = Integer.parseInt(arg);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    /**
     * Runs a warm-up cycle and {@code cycles} measured ones, printing a line for each to {@code out}.
     *
     * @return ZeroPool's counters over all cycles: every buffer it handed out is back by the time this returns
     */
    static PoolUsage measure(int cycles, int phaseMillis, PrintStream out) throws InterruptedException {
        return new HandOffInterleaved().run(cycles, phaseMillis, out);
    }

    private PoolUsage run(int cycles, int phaseMillis, PrintStream out) throws InterruptedException {
        HandOffBenchmark.Rings rings = new HandOffBenchmark.Rings();
        AtomicReferenceArray<Object> ring = new AtomicReferenceArray<>(HandOffBenchmark.RING_SLOTS);
        rings.rings = new AtomicReferenceArray<?>[] {ring};
        HandOffBenchmark.Producer producer = new HandOffBenchmark.Producer();
        producer.open(rings);
        HandOffBenchmark.Consumer consumer = new HandOffBenchmark.Consumer();
        consumer.open(rings);
        Thread producing = new Thread(() -> produce(producer), "producer");
        Thread consuming = new Thread(() -> consume(consumer), "consumer");
        producing.start();
        consuming.start();

        out.printf("# one producer -> %d-slot ring -> one consumer, %d-byte buffers: items/us per phase%n",
                HandOffBenchmark.RING_SLOTS, SIZE);
        out.printf("%-6s %12s %12s %15s %15s%n", "cycle", PHASES[0], PHASES[1], PHASES[2], "zeroPool/jetty");
        double[][] rows = new double[cycles][];
        for (int cycle = 0; cycle <= cycles; cycle++) {
            double[] rates = new double[PHASES.length];
            for (int next = 0; next < PHASES.length; next++) {
                phase = next;
                Thread.sleep(phaseMillis / 2); // the phase before's buffers leave the ring
                long start = System.nanoTime();
                long before = consumed.get();
                Thread.sleep(phaseMillis);
                rates[next] = (consumed.get() - before) * 1000.0 / (System.nanoTime() - start);
            }
            out.printf("%-6s %12.2f %12.2f %15.2f %14.2fx%n", cycle == 0 ? "warm" : Integer.toString(cycle),
                    rates[RING_ALONE], rates[ZERO_POOL], rates[JETTY], rates[ZERO_POOL] / rates[JETTY]);
            if (cycle > 0) { // cycle 0 warms the JIT up: not in the medians
                rows[cycle - 1] = rates;
            }
        }
        control.stopMeasurement = true;
        producing.join();
        consuming.join();
        for (int slot = 0; slot < ring.length(); slot++) { // what the consumer left: back to its pool
            Object item = ring.getAndSet(slot, null);
            if (item != null) {
                giveBack(item);
            }
        }
        out.printf("%-6s %12.2f %12.2f %15.2f %14.2fx%n", "median", median(rows, RING_ALONE),
                median(rows, ZERO_POOL), median(rows, JETTY),
                median(Arrays.stream(rows).mapToDouble(row -> row[ZERO_POOL] / row[JETTY]).toArray()));
        PoolUsage usage = zeroPool.usage();
        out.println("[zeroPool] all cycles: " + usage);
        return usage;
    }

    private void produce(HandOffBenchmark.Producer producer) {
        while (!control.stopMeasurement) {
            Object item = take(phase);
            if (!producer.offer(item, control)) {
                giveBack(item);
            }
        }
    }

    private void consume(HandOffBenchmark.Consumer consumer) {
        long items = 0;
        while (!control.stopMeasurement) {
            Object item = consumer.poll(control);
            if (item != null) {
                giveBack(item);
                consumed.lazySet(++items);
            }
        }
    }

    private Object take(int candidate) {
        if (candidate == ZERO_POOL) {
            return zeroPool.take(SIZE);
        }
        if (candidate == JETTY) {
            return jetty.take(SIZE);
        }
        ringAloneBuffer.put(0, (byte) 1).put(SIZE - 1, (byte) 1);
        return ringAloneBuffer;
    }

    private void giveBack(Object item) {
        if (item instanceof RetainableByteBuffer) {
            jetty.give((RetainableByteBuffer) item);
        } else if (item != ringAloneBuffer) {
            zeroPool.give((ByteBuffer) item);
        }
    }

    private static double median(double[][] rows, int column) {
        return median(Arrays.stream(rows).mapToDouble(row -> row[column]).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
