package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private static BufferPool pool(Validation validation) {
        return BufferPool.builder().validation(validation).leakDetection(LeakDetection.OFF).numShards(1)
                .tlsCacheSize(2).build();
    }

    @Test
    void offDoesNotDetectADoublePutWhichThenHandsOneBufferToTwoHolders() {
        try (BufferPool pool = pool(Validation.OFF)) {
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            pool.put(buffer); // the misuse FAST and STRICT refuse
            assertThat(pool.get(4096)).isSameAs(pool.get(4096)); // why OFF is only for proven code
        }
    }

    /**
     * FAST knows a returned buffer by the state the pool parks it in, which a {@code clear()} after the put
     * undoes (README, Misuse). It still refuses a second put right after the first by the same thread
     * ({@code put(buffer.clear())} run twice on one return path), whatever the state; with another put of
     * the class between, that goes by, and STRICT, whose table knows the buffer whatever its state,
     * refuses it.
     */
    @Test
    void aSecondPutOfABufferChangedAfterTheFirstIsCaughtRightAfterItAndByStrictAlways() {
        try (BufferPool pool = pool(Validation.FAST)) {
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer.clear());
            assertThatThrownBy(() -> pool.put(buffer.clear())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice");
            assertThat(pool.stats().rejected()).isEqualTo(1);
            assertThat(pool.get(4096)).isSameAs(buffer);
            assertThat(pool.get(4096)).isNotSameAs(buffer);
        }
        try (BufferPool pool = pool(Validation.FAST)) {
            ByteBuffer[] returned = returnTwo(pool);
            pool.put(returned[0].clear()); // unparked by the clear(), and not the last kept: the cheap check does not look
            assertThat(pool.get(4096)).as("the documented limit of FAST").isSameAs(returned[0]);
            assertThat(pool.get(4096)).isSameAs(returned[1]);
            assertThat(pool.get(4096)).isSameAs(returned[0]);
        }
        try (BufferPool pool = pool(Validation.STRICT)) {
            ByteBuffer[] returned = returnTwo(pool);
            assertThatThrownBy(() -> pool.put(returned[0].clear())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice");
        }
    }

    /**
     * A thread without a cache (a virtual thread, or caches off, as here) puts straight into a shard: a
     * second put of a buffer changed after the first is refused there when that shard kept it last, so
     * that it is never held twice and handed to two holders.
     */
    @Test
    void aThreadWithoutACacheHasASecondPutOfAChangedBufferRefusedWhenItsShardKeptItLast() {
        try (BufferPool pool = BufferPool.builder().validation(Validation.FAST).leakDetection(LeakDetection.OFF)
                .numShards(1).tlsCacheSize(0).build()) {
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer.clear());
            assertThatThrownBy(() -> pool.put(buffer.clear())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice");
            PoolStats stats = pool.stats();
            assertThat(stats.rejected()).isEqualTo(1);
            assertThat(stats.puts()).isEqualTo(stats.kept() + stats.dropped() + stats.rejected());
            assertThat(stats.pooledBuffers()).as("held once").isEqualTo(1);
            assertThat(pool.get(4096)).isSameAs(buffer);
            assertThat(pool.get(4096)).isNotSameAs(buffer);
        }
    }

    /** Takes two buffers and puts them back, the first changed by a {@code clear()}: the pool holds both. */
    private static ByteBuffer[] returnTwo(BufferPool pool) {
        ByteBuffer first = pool.get(4096);
        ByteBuffer second = pool.get(4096);
        pool.put(first.clear());
        pool.put(second);
        return new ByteBuffer[] { first, second };
    }

    @Test
    void strictCatchesADoublePutFromAnotherThreadAndSaysWhereTheBufferWasTakenAndReturned() throws Exception {
        try (BufferPool pool = pool(Validation.STRICT)) {
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer); // into this thread's cache, out of reach of FAST's same-thread check
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    pool.put(buffer);
                } catch (Throwable t) {
                    thrown[0] = t;
                }
            }, "second-putter");
            other.start();
            other.join();
            assertThat(thrown[0]).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice (STRICT validation)")
                    .hasMessageContaining("second-putter");
            assertThat(thrown[0].getCause()).hasMessageContaining("buffer returned here, by put() on thread main");
            assertThat(thrown[0].getSuppressed()[0]).hasMessageContaining("buffer taken here, by get(4096)");
            assertThat(stackOf(thrown[0].getSuppressed()[0])).contains(ValidationTest.class.getName());
            assertThat(pool.stats().rejected()).isEqualTo(1);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
        }
    }

    @Test
    void strictRejectsForeignBuffersAndViewsOfPooledBuffers() {
        try (BufferPool pool = pool(Validation.STRICT)) {
            ByteBuffer buffer = pool.get(8192);
            assertThatThrownBy(() -> pool.put(ByteBuffer.allocateDirect(8192)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("buffer was not handed out by this pool (STRICT validation)");
            assertThatThrownBy(() -> pool.put(buffer.duplicate())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a slice or duplicate of a pooled buffer");
            assertThatThrownBy(() -> pool.put(buffer.slice(0, 4096))).isInstanceOf(IllegalArgumentException.class);
            assertThat(pool.stats().rejected()).isEqualTo(3);
            pool.put(buffer); // the real one is still welcome
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
        }
    }

    @Test
    void strictCatchesAWriteAfterPutWhenTheBufferIsHandedOutAgain() {
        try (BufferPool pool = pool(Validation.STRICT)) {
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            buffer.put(100, (byte) 7); // use after put
            assertThatThrownBy(() -> pool.get(4096)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer written after it was put (STRICT validation): byte 100 of 4096 is 0x7")
                    .hasCauseInstanceOf(Throwable.class)
                    .cause().hasMessageContaining("buffer returned here");
            ByteBuffer fresh = pool.get(4096); // the pool dropped the suspect buffer and goes on
            assertThat(fresh).isNotSameAs(buffer);
        }
    }

    @Test
    void strictPoisonsReturnedBuffers() {
        try (BufferPool pool = pool(Validation.STRICT)) {
            ByteBuffer buffer = pool.get(4096);
            buffer.put(0, (byte) 1);
            pool.put(buffer);
            ByteBuffer again = pool.get(4096);
            assertThat(again).isSameAs(buffer);
            assertThat(again.get(0)).isEqualTo((byte) 0xA5);
            assertThat(again.get(4095)).isEqualTo((byte) 0xA5);
        }
    }

    @Test
    void strictAcceptsAHandOffBetweenThreads() throws Exception {
        try (BufferPool pool = pool(Validation.STRICT)) {
            ByteBuffer buffer = pool.get(4096);
            Thread other = new Thread(() -> pool.put(buffer));
            other.start();
            other.join();
            assertThat(pool.stats().rejected()).isZero();
            assertThat(pool.get(4096)).isSameAs(buffer);
        }
    }

    @Test
    void clearOnReleaseZeroesTheWholeBuffer() {
        for (boolean direct : new boolean[] {true, false}) {
            // never leak-sampled: the test follows the buffer's identity through its put and the next get
            try (BufferPool pool = BufferPool.builder().direct(direct).clearOnRelease(true)
                    .leakDetection(LeakDetection.OFF).build()) {
                ByteBuffer buffer = pool.get(100_000);
                buffer.limit(buffer.capacity());
                for (int i = 0; i < buffer.capacity(); i++) {
                    buffer.put(i, (byte) 0x5A);
                }
                pool.put(buffer);
                ByteBuffer again = pool.get(100_000);
                assertThat(again).isSameAs(buffer);
                again.limit(again.capacity());
                for (int i = 0; i < again.capacity(); i++) {
                    assertThat(again.get(i)).as("byte %d", i).isZero();
                }
            }
        }
    }

    /**
     * An unpooled buffer of nearly 2 GiB: the poison's chunk loop once stepped an int offset past
     * Integer.MAX_VALUE for capacities above 2^31 - 64 KiB and threw, so the put failed and counted nowhere.
     */
    @Test
    void clearOnReleaseZeroesAnUnpooledBufferOfNearly2GiB() {
        assumeTrue(MachineDefaults.maxDirectMemory() >= 3L << 30, "needs a direct-memory limit of 3 GiB");
        try (BufferPool pool = BufferPool.builder().clearOnRelease(true).maxBufferSize(1 << 16)
                .leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer big = pool.get(Integer.MAX_VALUE - 1);
            big.put(0, (byte) 7).put(big.capacity() - 1, (byte) 7);

            pool.put(big);

            assertThat(big.get(0)).isZero();
            assertThat(big.get(big.capacity() - 1)).isZero();
            assertThat(pool.stats().puts()).isEqualTo(1);
            assertThat(pool.stats().dropped()).isEqualTo(1);
        }
    }

    @Test
    void clearOnReleaseZeroesABufferPutAfterClose() {
        for (LeakDetection leaks : new LeakDetection[] {LeakDetection.OFF, LeakDetection.ALL}) {
            // under ALL the get hands out a view of a spare, and the view's memory is the spare's
            BufferPool pool = BufferPool.builder().clearOnRelease(true).leakDetection(leaks).build();
            ByteBuffer buffer = pool.get(4096);
            for (int i = 0; i < 4096; i++) {
                buffer.put(i, (byte) 0x5A);
            }
            pool.close();

            pool.put(buffer); // dropped: a closed pool keeps nothing, but the holder's data goes first

            for (int i = 0; i < 4096; i++) {
                assertThat(buffer.get(i)).as("%s, byte %d", leaks, i).isZero();
            }
        }
    }

    @Test
    void underStrictClearOnReleasePoisonsABufferPutAfterClose() {
        for (LeakDetection leaks : new LeakDetection[] {LeakDetection.OFF, LeakDetection.ALL}) {
            // under STRICT a sampled get hands out a duplicate: the same memory as the buffer behind it
            BufferPool pool = BufferPool.builder().validation(Validation.STRICT).clearOnRelease(true)
                    .leakDetection(leaks).log(new CapturingLogger()).build();
            ByteBuffer buffer = pool.get(4096);
            for (int i = 0; i < 4096; i++) {
                buffer.put(i, (byte) 0x5A);
            }
            pool.close();

            pool.put(buffer);

            for (int i = 0; i < 4096; i++) {
                assertThat(buffer.get(i)).as("%s, byte %d", leaks, i).isEqualTo((byte) 0xA5);
            }
        }
    }

    @Test
    void aSecondPutOfABufferAnotherThreadReturnedToAShardBlamesNoThread() throws InterruptedException {
        // FAST finds it in a shard, where any thread may have put it: the message said "this thread"
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(0).leakDetection(LeakDetection.OFF).build()) {
            ByteBuffer buffer = pool.get(4096);
            Thread other = new Thread(() -> pool.put(buffer));
            other.start();
            other.join();
            assertThatThrownBy(() -> pool.put(buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice").hasMessageContaining("was returned before")
                    .hasMessageNotContaining("this thread");
            assertThat(pool.stats().rejected()).isEqualTo(1);
        }
    }

    @Test
    void underStrictALeakSampledBufferPutTwiceIsRefusedAsPutTwice() {
        // under STRICT a sampled get hands out a duplicate of the pooled buffer, which STRICT's record did
        // not know: its second put was refused as a stranger's buffer (IllegalArgumentException)
        try (BufferPool all = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.ALL)
                .log(new CapturingLogger()).build()) {
            ByteBuffer buffer = all.get(4096);
            assertThat(all.originalOfSampled(buffer)).as("sampled").isNotNull();
            all.put(buffer);
            assertThatThrownBy(() -> all.put(buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("put twice");
            assertThat(all.stats().rejected()).isEqualTo(1);
        }
        try (BufferPool sampled = BufferPool.builder().validation(Validation.STRICT)
                .leakDetection(LeakDetection.SAMPLED).log(new CapturingLogger()).build()) {
            sampled.put(sampled.get(4096)); // this thread's cache now exists
            sampled.ownCache().sampleGetAfter(0);
            ByteBuffer buffer = sampled.get(4096);
            assertThat(sampled.originalOfSampled(buffer)).as("sampled").isNotNull();
            sampled.put(buffer);
            assertThatThrownBy(() -> sampled.put(buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("put twice");
        }
    }

    private static String stackOf(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
