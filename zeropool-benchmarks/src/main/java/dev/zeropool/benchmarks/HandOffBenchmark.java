package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Control;

/**
 * Buffers that cross threads: a producer takes a buffer, writes both ends and hands it through a 64-slot
 * single-producer/single-consumer ring to a consumer, which gives it back to the pool. This is the
 * pattern of a network stack whose reader thread fills buffers that worker threads process and release:
 * every {@code put} happens on another thread than its {@code get}, so a pool cannot live off one
 * thread's cache and must move buffers between threads.
 *
 * <p>Two shapes, each a JMH group: {@code <candidate>} is one producer and one consumer; {@code
 * <candidate>TwoPairs} is two producers and two consumers, each pair with its own ring (four busy
 * threads, on two cores: the sides spin briefly, then yield); on a larger machine {@code -tg P,P} makes it P
 * pairs ({@code run-scaling.sh}). A side that cannot go on (ring full or
 * empty) waits until the other side moves or JMH ends the iteration ({@link Control#stopMeasurement}).
 *
 * <p>How to read it: JMH's score for a group adds up the operations of all its threads, and each item
 * is one producer operation and one consumer operation, so <b>items handed over per microsecond is half
 * the group score</b>, or the {@code :...Consume} line of the log (the report's table shows the half).
 * Higher is better. ZeroPool prints its hit rate and drops over the trial at the end ({@code [zeroPool]}
 * in the log): at its defaults they should be at least 99.9% and 0.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class HandOffBenchmark {

    /** Slots per ring: a power of two. */
    static final int RING_SLOTS = 64;
    /** Pairs in the {@code TwoPairs} shape, each with its own ring. */
    static final int MAX_PAIRS = 2;
    /** Busy-spins of a waiting side before it starts yielding its core (two cores, up to four threads). */
    static final int SPINS_BEFORE_YIELD = 16;

    /** Bytes requested. */
    @Param("65536")
    public int size;

    // One producer -> one consumer.

    @Benchmark
    @Group("zeroPool")
    @GroupThreads(1)
    public void zeroPoolProduce(ZeroPool pool, Producer producer, Control control) {
        ByteBuffer buffer = pool.take(size);
        if (!producer.offer(buffer, control)) {
            pool.give(buffer);
        }
    }

    @Benchmark
    @Group("zeroPool")
    @GroupThreads(1)
    public void zeroPoolConsume(ZeroPool pool, Consumer consumer, Control control) {
        Object buffer = consumer.poll(control);
        if (buffer != null) {
            pool.give((ByteBuffer) buffer);
        }
    }

    @Benchmark
    @Group("jettyArrayPool")
    @GroupThreads(1)
    public void jettyArrayPoolProduce(JettyArrayPool pool, Producer producer, Control control) {
        RetainableByteBuffer buffer = pool.take(size);
        if (!producer.offer(buffer, control)) {
            pool.give(buffer);
        }
    }

    @Benchmark
    @Group("jettyArrayPool")
    @GroupThreads(1)
    public void jettyArrayPoolConsume(JettyArrayPool pool, Consumer consumer, Control control) {
        Object buffer = consumer.poll(control);
        if (buffer != null) {
            pool.give((RetainableByteBuffer) buffer);
        }
    }

    @Benchmark
    @Group("nettyAdaptive")
    @GroupThreads(1)
    public void nettyAdaptiveProduce(NettyAdaptive pool, Producer producer, Control control) {
        ByteBuf buffer = pool.take(size);
        if (!producer.offer(buffer, control)) {
            pool.give(buffer);
        }
    }

    @Benchmark
    @Group("nettyAdaptive")
    @GroupThreads(1)
    public void nettyAdaptiveConsume(NettyAdaptive pool, Consumer consumer, Control control) {
        Object buffer = consumer.poll(control);
        if (buffer != null) {
            pool.give((ByteBuf) buffer);
        }
    }

    // Two producers -> two consumers, pair by pair: the same methods, two threads per role.

    @Benchmark
    @Group("zeroPoolTwoPairs")
    @GroupThreads(MAX_PAIRS)
    public void zeroPoolTwoPairsProduce(ZeroPool pool, Producer producer, Control control) {
        zeroPoolProduce(pool, producer, control);
    }

    @Benchmark
    @Group("zeroPoolTwoPairs")
    @GroupThreads(MAX_PAIRS)
    public void zeroPoolTwoPairsConsume(ZeroPool pool, Consumer consumer, Control control) {
        zeroPoolConsume(pool, consumer, control);
    }

    @Benchmark
    @Group("jettyArrayPoolTwoPairs")
    @GroupThreads(MAX_PAIRS)
    public void jettyArrayPoolTwoPairsProduce(JettyArrayPool pool, Producer producer, Control control) {
        jettyArrayPoolProduce(pool, producer, control);
    }

    @Benchmark
    @Group("jettyArrayPoolTwoPairs")
    @GroupThreads(MAX_PAIRS)
    public void jettyArrayPoolTwoPairsConsume(JettyArrayPool pool, Consumer consumer, Control control) {
        jettyArrayPoolConsume(pool, consumer, control);
    }

    @Benchmark
    @Group("nettyAdaptiveTwoPairs")
    @GroupThreads(MAX_PAIRS)
    public void nettyAdaptiveTwoPairsProduce(NettyAdaptive pool, Producer producer, Control control) {
        nettyAdaptiveProduce(pool, producer, control);
    }

    @Benchmark
    @Group("nettyAdaptiveTwoPairs")
    @GroupThreads(MAX_PAIRS)
    public void nettyAdaptiveTwoPairsConsume(NettyAdaptive pool, Consumer consumer, Control control) {
        nettyAdaptiveConsume(pool, consumer, control);
    }

    /**
     * The rings of one group, one per producer/consumer pair, and the counters that give each producer
     * and each consumer thread its pair's index. Buffers still in a ring when the trial ends are left to
     * the garbage collector (for ZeroPool they are neither hits nor drops).
     */
    @State(Scope.Group)
    public static class Rings {
        AtomicReferenceArray<?>[] rings;
        final AtomicInteger producers = new AtomicInteger();
        final AtomicInteger consumers = new AtomicInteger();

        /** One ring per producer; JMH's {@code -tg P,P} makes P pairs on a larger machine. */
        @Setup(Level.Trial)
        public void open(BenchmarkParams benchmark) {
            int[] roles = benchmark.getThreadGroups();
            if (roles.length != 2 || roles[0] != roles[1]) {
                throw new IllegalArgumentException("hand-off needs as many consumers as producers (-tg P,P), was -tg "
                        + java.util.Arrays.toString(roles));
            }
            rings = new AtomicReferenceArray<?>[roles[0]];
            for (int i = 0; i < rings.length; i++) {
                rings[i] = new AtomicReferenceArray<>(RING_SLOTS);
            }
        }

        @SuppressWarnings("unchecked")
        AtomicReferenceArray<Object> ring(AtomicInteger role) {
            return (AtomicReferenceArray<Object>) rings[role.getAndIncrement() % rings.length];
        }
    }

    /**
     * A producer thread's end of its pair's ring. Single producer: only this thread writes a slot from
     * empty to full, and its cursor is its own. The release store of an item publishes the writes made to
     * the buffer before it; the consumer's acquire load of the slot sees them.
     */
    @State(Scope.Thread)
    public static class Producer {
        private AtomicReferenceArray<Object> ring;
        private int next;

        @Setup(Level.Trial)
        public void open(Rings rings) {
            ring = rings.ring(rings.producers);
        }

        /** @return {@code true} once the item is in the ring, {@code false} if the iteration ended first */
        boolean offer(Object item, Control control) {
            int slot = next & (RING_SLOTS - 1);
            for (int spins = 0; ring.getAcquire(slot) != null; spins++) {
                if (control.stopMeasurement) {
                    return false;
                }
                backOff(spins);
            }
            ring.setRelease(slot, item);
            next++;
            return true;
        }
    }

    /**
     * A consumer thread's end of its pair's ring: takes items in order and empties their slots with a
     * release store, so the producer, reading the slot with an acquire load, reuses it only after the
     * consumer has taken the item.
     */
    @State(Scope.Thread)
    public static class Consumer {
        private AtomicReferenceArray<Object> ring;
        private int next;

        @Setup(Level.Trial)
        public void open(Rings rings) {
            ring = rings.ring(rings.consumers);
        }

        /** @return the next item, or {@code null} if the iteration ended before one came */
        Object poll(Control control) {
            int slot = next & (RING_SLOTS - 1);
            Object item;
            for (int spins = 0; (item = ring.getAcquire(slot)) == null; spins++) {
                if (control.stopMeasurement) {
                    return null;
                }
                backOff(spins);
            }
            ring.setRelease(slot, null);
            next++;
            return item;
        }
    }

    /** Spins a little (the other side is usually about to move), then gives the core away. */
    static void backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
