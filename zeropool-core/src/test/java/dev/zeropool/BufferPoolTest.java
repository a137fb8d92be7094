package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    private final List<BufferPool> pools = new ArrayList<>();

    private BufferPool pool(BufferPool.Builder builder) {
        BufferPool pool = builder.build();
        pools.add(pool);
        return pool;
    }

    /**
     * A small pool whose gets are never leak-sampled. Its tests follow one buffer's identity, capacity or
     * content through a put and the get after it, and a sampled get (about one in 4096, at random) hands
     * out a spare's view instead; {@link LeakDetectionTest} covers that.
     */
    private BufferPool small() {
        return pool(unsampled().minBufferSize(4096).maxBufferSize(1 << 20).tlsCacheSize(2)
                .maxBuffersPerShard(4).numShards(1));
    }

    /**
     * A builder for a pool whose gets are never leak-sampled (see {@link #small()}); every pool of these
     * tests starts from it, and a test that is about leak detection sets its own mode after it.
     */
    private static BufferPool.Builder unsampled() {
        return BufferPool.builder().leakDetection(LeakDetection.OFF);
    }

    @AfterEach
    void closePools() {
        pools.forEach(BufferPool::close);
    }

    @Nested
    class Get {

        @Test
        void bufferCapacityIsTheCapacityOfTheBufferAGetTakes() {
            BufferPool pool = pool(unsampled().direct(false).minBufferSize(64).maxBufferSize(1 << 16));
            for (int size = 0; size <= (1 << 16) + 2; size += size < 300 ? 1 : 97) {
                checkCapacity(pool, size);
            }
            checkCapacity(pool, (1 << 16) + 1); // unpooled, a byte more (see BufferPool#unpooledCapacity)
            checkCapacity(pool, 1 << 20);
            assertThat(pool.bufferCapacity(5000)).isEqualTo(5120);
            assertThatThrownBy(() -> pool.bufferCapacity(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
        }

        private void checkCapacity(BufferPool pool, int size) {
            ByteBuffer buffer = pool.get(size);
            assertThat(pool.bufferCapacity(size)).as("size %d", size).isEqualTo(buffer.capacity());
            pool.put(buffer);
        }

        @Test
        void handsOutAWritableBigEndianBufferWithLimitEqualToTheRequest() {
            BufferPool pool = small();
            ByteBuffer buffer = pool.get(5000);
            assertThat(buffer.position()).isZero();
            assertThat(buffer.limit()).isEqualTo(5000);
            assertThat(buffer.capacity()).isEqualTo(5120);
            assertThat(buffer.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
            assertThat(buffer.isDirect()).isTrue();
            assertThat(buffer.isReadOnly()).isFalse();
        }

        @Test
        void aReusedBufferIsResetWhateverTheLastHolderDidToIt() {
            BufferPool pool = small();
            ByteBuffer buffer = pool.get(8192);
            buffer.order(ByteOrder.LITTLE_ENDIAN).position(100).limit(200).mark();
            pool.put(buffer);
            ByteBuffer again = pool.get(8000);
            assertThat(again).isSameAs(buffer);
            assertThat(again.position()).isZero();
            assertThat(again.limit()).isEqualTo(8000);
            assertThat(again.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
            assertThatThrownBy(again::reset).isInstanceOf(java.nio.InvalidMarkException.class);
        }

        @Test
        void contentIsNotClearedOnReuse() {
            BufferPool pool = small();
            ByteBuffer buffer = pool.get(4096);
            buffer.put(0, (byte) 42);
            pool.put(buffer);
            assertThat(pool.get(4096).get(0)).isEqualTo((byte) 42);
        }

        @Test
        void smallRequestsGetTheMinimumCapacityWithTheirOwnLimit() {
            ByteBuffer buffer = small().get(10);
            assertThat(buffer.capacity()).isEqualTo(4096);
            assertThat(buffer.limit()).isEqualTo(10);
        }

        @Test
        void neverHandsOutALargerClassThanTheRequestsOwn() {
            BufferPool pool = small();
            pool.put(pool.get(8192));
            ByteBuffer buffer = pool.get(5000);
            assertThat(buffer.capacity()).isEqualTo(5120);
        }

        @Test
        void zeroGivesAFreshEmptyBufferEachTime() {
            BufferPool pool = small();
            ByteBuffer first = pool.get(0);
            ByteBuffer second = pool.get(0);
            assertThat(first.capacity()).isZero();
            assertThat(first).isNotSameAs(second);
            pool.put(first);
            assertThat(pool.stats().dropped()).isEqualTo(1);
        }

        @Test
        void aRequestAboveTheMaximumIsServedUnpooledAndDroppedOnPut() {
            BufferPool pool = small();
            ByteBuffer big = pool.get((1 << 20) + 1);
            // a byte more than asked for this one size: maxBufferSize + 1 is a leak-sampled view's capacity
            assertThat(big.capacity()).isEqualTo((1 << 20) + 2);
            assertThat(big.limit()).isEqualTo((1 << 20) + 1);
            assertThat(pool.get((1 << 20) + 5).capacity()).isEqualTo((1 << 20) + 5);
            pool.put(big);
            PoolStats stats = pool.stats();
            assertThat(stats.misses()).isEqualTo(2);
            assertThat(stats.dropped()).isEqualTo(1);
            assertThat(stats.pooledBuffers()).isZero();
            assertThat(pool.get((1 << 20) + 1)).isNotSameAs(big);
        }

        @Test
        void heapPoolsHandOutHeapBuffers() {
            BufferPool pool = pool(unsampled().direct(false));
            ByteBuffer buffer = pool.get(100);
            assertThat(buffer.isDirect()).isFalse();
            assertThat(buffer.hasArray()).isTrue();
            pool.put(buffer);
            assertThat(pool.get(100)).isSameAs(buffer);
        }
    }

    @Nested
    class Reuse {

        @Test
        void theThreadCacheServesFirstThenTheShardThenAllocation() {
            BufferPool pool = small(); // thread cache of 2
            ByteBuffer a = pool.get(4096);
            ByteBuffer b = pool.get(4096);
            ByteBuffer c = pool.get(4096);
            pool.put(a);
            pool.put(b);
            assertThat(pool.get(4096)).isSameAs(b); // from the thread cache
            pool.put(b);
            pool.put(c); // the cache is full: its buffers of this class go to the shard with c, in one batch
            assertThat(pool.get(4096)).isSameAs(c);
            assertThat(pool.get(4096)).isSameAs(b);
            assertThat(pool.get(4096)).isSameAs(a);
            assertThat(pool.get(4096)).isNotSameAs(a).isNotSameAs(b).isNotSameAs(c); // none left: a new one
            PoolStats stats = pool.stats();
            assertThat(stats.misses()).isEqualTo(4);
            assertThat(stats.tlsHits()).isEqualTo(1);
            assertThat(stats.shardHits()).isEqualTo(3);
            assertThat(stats.gets()).isEqualTo(8);
            assertThat(stats.hitRate()).isEqualTo(0.5);
            assertThat(stats.tlsHitRate()).isEqualTo(1.0 / 8);
        }

        @Test
        void aFullCacheKeepsTheClassesThatDidNotOverflow() {
            BufferPool pool = small(); // thread cache of 2
            ByteBuffer small = pool.get(4096);
            ByteBuffer large = pool.get(8192);
            ByteBuffer other = pool.get(8192);
            pool.put(small);
            pool.put(large);
            pool.put(other); // full: only the 8 KiB class leaves, with the incoming buffer
            assertThat(pool.get(4096)).isSameAs(small);
            assertThat(pool.stats().tlsHits()).isEqualTo(1);
        }

        @Test
        void withoutAThreadCacheEveryReuseComesFromTheShard() {
            BufferPool pool = pool(unsampled().tlsCacheSize(0).numShards(1));
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            assertThat(pool.get(4096)).isSameAs(buffer);
            assertThat(pool.stats().tlsHits()).isZero();
            assertThat(pool.stats().shardHits()).isEqualTo(1);
        }

        @Test
        void anotherThreadGetsWhatThisThreadPutIntoTheShard() throws Exception {
            BufferPool pool = pool(unsampled().tlsCacheSize(0).numShards(8));
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            ByteBuffer[] seen = new ByteBuffer[1];
            Thread other = new Thread(() -> seen[0] = pool.get(4096));
            other.start();
            other.join();
            assertThat(seen[0]).isSameAs(buffer); // served even if the other thread's home shard differs
            assertThat(pool.stats().misses()).isEqualTo(1);
        }

        @Test
        void poolsAreIsolatedFromEachOther() {
            BufferPool first = small();
            BufferPool second = small();
            ByteBuffer buffer = first.get(4096);
            first.put(buffer);
            assertThat(second.get(4096)).isNotSameAs(buffer);
            assertThat(first.get(4096)).isSameAs(buffer);
        }
    }

    @Nested
    class Misuse {

        @Test
        void aNegativeSizeIsRejectedWithTheValueInTheMessage() {
            BufferPool pool = small();
            assertThatThrownBy(() -> pool.get(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("size must be >= 0").hasMessageContaining("was -1");
            // rejected counts puts: a refused get counted there was a put that never happened
            assertThat(pool.stats().rejected()).isZero();
            assertThat(pool.stats().puts()).isZero();
            assertThat(pool.stats().gets()).isZero();
            assertThat(pool.get(1).capacity()).isEqualTo(4096);
        }

        @Test
        void nullIsRejected() {
            BufferPool pool = small();
            assertThatThrownBy(() -> pool.put(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("buffer must not be null");
            assertThat(pool.stats().rejected()).isEqualTo(1);
            assertThat(pool.stats().puts()).isEqualTo(1);
        }

        @Test
        void aHeapBufferIsRejectedByADirectPoolAndTheReverse() {
            BufferPool direct = small();
            assertThatThrownBy(() -> direct.put(ByteBuffer.allocate(4096))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("buffer is heap but this pool hands out direct buffers");
            BufferPool heap = pool(unsampled().direct(false));
            assertThatThrownBy(() -> heap.put(ByteBuffer.allocateDirect(4096)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("buffer is direct but this pool hands out heap buffers");
            assertThat(direct.stats().rejected()).isEqualTo(1);
            assertThat(heap.stats().rejected()).isEqualTo(1);
        }

        @Test
        void aReadOnlyViewIsRejected() {
            BufferPool pool = small();
            ByteBuffer buffer = pool.get(4096);
            assertThatThrownBy(() -> pool.put(buffer.asReadOnlyBuffer())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("read-only");
            pool.put(buffer);
            assertThat(pool.stats().rejected()).isEqualTo(1);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
        }

        @Test
        void aCapacityThatIsNoSizeClassIsRejectedNamingTheNearestClasses() {
            BufferPool pool = small();
            assertThatThrownBy(() -> pool.put(ByteBuffer.allocateDirect(5000)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("capacity 5000 is no size class")
                    .hasMessageContaining("4096 and 5120");
            assertThatThrownBy(() -> pool.put(ByteBuffer.allocateDirect(100)))
                    .hasMessageContaining("the smallest class is 4096");
            assertThat(pool.stats().rejected()).isEqualTo(2);
            assertThat(pool.stats().pooledBuffers()).isZero();
        }

        @Test
        void aBufferPutTwiceWhileInTheThreadCacheIsRejected() {
            BufferPool pool = small();
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            assertThatThrownBy(() -> pool.put(buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice");
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(pool.stats().rejected()).isEqualTo(1);
            assertThat(pool.get(4096)).isSameAs(buffer);
            assertThat(pool.get(4096)).isNotSameAs(buffer);
        }

        @Test
        void aBufferPutTwiceAfterItMovedOnToTheShardIsRejected() {
            BufferPool pool = small();
            ByteBuffer a = pool.get(4096);
            ByteBuffer b = pool.get(4096);
            ByteBuffer c = pool.get(8192);
            pool.put(a);
            pool.put(b);
            pool.put(c); // cache full: c goes to the shard
            ByteBuffer fromCache = pool.get(4096); // the cache now has room again
            assertThatThrownBy(() -> pool.put(c)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer put twice");
            pool.put(fromCache);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(3);
            assertThat(stats.shards().get(0).buffers()).isEqualTo(1);
        }

        @Test
        void aBufferPutTwiceWithoutAThreadCacheIsRejected() {
            BufferPool pool = pool(unsampled().tlsCacheSize(0));
            ByteBuffer buffer = pool.get(4096);
            pool.put(buffer);
            assertThatThrownBy(() -> pool.put(buffer)).isInstanceOf(IllegalStateException.class);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
        }

        @Test
        void aBufferThatMerelyLooksParkedIsAccepted() {
            BufferPool pool = small();
            ByteBuffer buffer = pool.get(4096);
            buffer.limit(0).order(ByteOrder.LITTLE_ENDIAN);
            pool.put(buffer);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            assertThat(pool.stats().rejected()).isZero();
        }
    }

    @Nested
    class Close {

        @Test
        void getAfterCloseThrowsAndPutDrops() {
            // with a thread cache (the fast path's lease check sends the calls to the slow path) and
            // without one (the path virtual threads take tests the stamp itself)
            for (BufferPool pool : List.of(small(), pool(unsampled().minBufferSize(4096).tlsCacheSize(0)))) {
                pool.put(pool.get(4096)); // the thread's cache, if any, now holds a buffer
                ByteBuffer buffer = pool.get(4096);
                pool.close();
                assertThat(pool.isClosed()).isTrue();
                assertThatThrownBy(() -> pool.get(4096)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed");
                pool.put(buffer);
                assertThat(pool.stats().dropped()).isEqualTo(1);
                assertThat(pool.stats().pooledBuffers()).isZero();
            }
        }

        @Test
        void toStringShowsTheConfigAndWhetherClosed() {
            BufferPool pool = small();
            assertThat(pool.toString()).isEqualTo("BufferPool[" + pool.config() + "]").contains("tlsCacheSize=2");
            pool.close();
            assertThat(pool.toString()).isEqualTo("BufferPool[" + pool.config() + ", closed]");
        }

        @Test
        void theChecksThatAreAlwaysOnStillRefuseMisuseAfterClose() {
            BufferPool pool = small();
            pool.close();
            assertThatThrownBy(() -> pool.put(ByteBuffer.allocate(4096))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("heap");
            assertThatThrownBy(() -> pool.put(ByteBuffer.allocateDirect(4096).asReadOnlyBuffer()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> pool.put(ByteBuffer.allocateDirect(5000)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000");
            assertThat(pool.stats().rejected()).isEqualTo(3);
            assertThat(pool.stats().dropped()).isZero();
        }

        @Test
        void closeDropsEverythingPooledInShardsAndThreadCaches() throws Exception {
            BufferPool pool = small();
            List<ByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                taken.add(pool.get(4096));
            }
            taken.forEach(pool::put);
            Thread other = new Thread(() -> pool.put(pool.get(8192)));
            other.start();
            other.join();
            assertThat(pool.stats().pooledBuffers()).isEqualTo(6);
            pool.close();
            pool.close(); // idempotent
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isZero();
            assertThat(stats.pooledBytes()).isZero();
        }

        /**
         * A second close() racing the first (a shutdown hook beside a context's close) returns only once the
         * pool is empty: it used to return at once while the first still waited for a busy shard, with that
         * shard's buffers pooled and reserved. The first is held at a shard whose lock the test holds.
         */
        @Test
        void aSecondCloseReturnsOnlyOnceThePoolHoldsNothing() throws Exception {
            BufferPool pool = pool(unsampled().tlsCacheSize(0).numShards(2).direct(false).minBufferSize(4096)
                    .maxBufferSize(4096));
            assertThat(pool.tier().offer(0, ByteBuffer.allocate(4096), 1, 0, true)).isTrue(); // shard 1 holds it
            Shard busy = pool.tier().shard(1);
            AtomicLong reservedWhenSecondReturned = new AtomicLong(-1);
            Thread first = new Thread(pool::close);
            Thread second = new Thread(() -> {
                pool.close();
                reservedWhenSecondReturned.set(pool.reservedBytes());
            });
            busy.lock(); // another thread in the middle of an operation on shard 1
            try {
                first.start();
                while (busy.waiting() == 0 && first.isAlive()) {
                    Thread.onSpinWait(); // until the first close() waits for shard 1
                }
                second.start();
                while (second.isAlive() && second.getState() != Thread.State.WAITING) { // parked on close's lock
                    Thread.onSpinWait(); // until the second close() waits for the first, or has returned
                }
            } finally {
                busy.unlock();
            }
            first.join();
            second.join();
            assertThat(reservedWhenSecondReturned.get()).as("bytes reserved when the second close() returned").isZero();
            assertThat(pool.stats().pooledBuffers()).isZero();
        }
    }

    @Nested
    class Memory {

        @Test
        void pooledBytesNeverExceedTheBound() {
            BufferPool pool = pool(unsampled().maxPooledBytes(3 * 4096 + 100).tlsCacheSize(2)
                    .maxBuffersPerShard(16).numShards(1));
            List<ByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                taken.add(pool.get(4096));
            }
            taken.forEach(pool::put);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(3);
            assertThat(stats.pooledBytes()).isEqualTo(3 * 4096);
            assertThat(stats.dropped()).isEqualTo(7);
            assertThat(stats.kept()).isEqualTo(3);
        }

        @Test
        void aShardNeverHoldsMoreThanItsCapacity() {
            BufferPool pool = pool(unsampled().tlsCacheSize(0).maxBuffersPerShard(3).numShards(1)
                    .evictionPolicy(EvictionPolicy.LIFO));
            List<ByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                taken.add(pool.get(4096));
            }
            taken.forEach(pool::put);
            ShardStats shard = pool.stats().shards().get(0);
            assertThat(shard.buffers()).isEqualTo(3);
            assertThat(shard.capacity()).isEqualTo(3);
            assertThat(shard.occupancy()).isEqualTo(1.0);
            assertThat(shard.evictions()).isEqualTo(2);
            assertThat(shard.bytes()).isEqualTo(3 * 4096);
        }

        @Test
        void allocatedBytesCountEveryAllocation() {
            BufferPool pool = small();
            pool.put(pool.get(5000));
            pool.get(5000);
            pool.get(2 << 20);
            assertThat(pool.stats().allocatedBytes()).isEqualTo(5120 + (2 << 20));
        }
    }

    @Nested
    class Eviction {

        private BufferPool full(EvictionPolicy policy) {
            BufferPool pool = pool(unsampled().tlsCacheSize(0).maxBuffersPerShard(2).numShards(1)
                    .evictionPolicy(policy));
            ByteBuffer a = pool.get(4096);
            ByteBuffer b = pool.get(4096);
            pool.put(a);
            pool.put(b); // the shard is full of the 4 KiB class, which nobody has reused
            return pool;
        }

        @Test
        void lifoKeepsWhatItHasAndDropsTheIncomingBuffer() {
            BufferPool pool = full(EvictionPolicy.LIFO);
            ByteBuffer incoming = pool.get(8192);
            pool.put(incoming);
            assertThat(pool.get(8192)).isNotSameAs(incoming);
            assertThat(pool.stats().dropped()).isEqualTo(1);
        }

        @Test
        void clockProEvictsAColdClassToKeepTheIncomingBuffer() {
            BufferPool pool = full(EvictionPolicy.CLOCK_PRO);
            ByteBuffer incoming = pool.get(8192);
            pool.put(incoming);
            PoolStats stats = pool.stats();
            assertThat(stats.dropped()).isZero();
            assertThat(stats.evictions()).isEqualTo(1);
            assertThat(pool.get(8192)).isSameAs(incoming);
        }

        @Test
        void whenTheByteBudgetBindsClockProEvictsColdBuffersAndLifoDropsTheIncomingOne() {
            for (EvictionPolicy policy : EvictionPolicy.values()) {
                BufferPool pool = pool(unsampled().tlsCacheSize(0).maxBuffersPerShard(16).numShards(1)
                        .maxPooledBytes(2 * 4096).evictionPolicy(policy));
                ByteBuffer a = pool.get(4096);
                ByteBuffer b = pool.get(4096);
                ByteBuffer big = pool.get(8192);
                pool.put(a);
                pool.put(b); // the budget is now full of a cold class
                pool.put(big);
                PoolStats stats = pool.stats();
                if (policy == EvictionPolicy.CLOCK_PRO) {
                    assertThat(stats.evictions()).as(policy.name()).isEqualTo(2);
                    assertThat(stats.dropped()).as(policy.name()).isZero();
                    assertThat(pool.get(8192)).isSameAs(big);
                } else {
                    assertThat(stats.evictions()).as(policy.name()).isZero();
                    assertThat(stats.dropped()).as(policy.name()).isEqualTo(1);
                    assertThat(stats.pooledBytes()).isEqualTo(2 * 4096);
                }
            }
        }

        @Test
        void atTheCountBoundNoBufferIsEvictedForAnIncomingOneTheBytesCannotHold() {
            for (EvictionPolicy policy : EvictionPolicy.values()) {
                // one slot and 4 KiB of budget, holding a 4 KiB buffer: an 8 KiB buffer can never fit
                BufferPool pool = pool(unsampled().tlsCacheSize(0).numShards(1).maxBuffersPerShard(1)
                        .maxBufferSize(8192).maxPooledBytes(4096).evictionPolicy(policy));
                ByteBuffer small = pool.get(4096);
                ByteBuffer big = pool.get(8192);
                pool.put(small);
                pool.put(big);
                PoolStats stats = pool.stats();
                assertThat(stats.dropped()).as(policy.name()).isEqualTo(1);
                assertThat(stats.pooledBuffers()).as(policy.name()).isEqualTo(1);
                assertThat(pool.get(4096)).as(policy.name() + ": the buffer that was there stays").isSameAs(small);
            }
        }

        @Test
        void clockProNeverEvictsForABufferItThenDropsBecauseItsHandReachedTheIncomingClass() {
            // 16 KiB of budget holding two 4 KiB buffers and an 8 KiB one, both classes referenced by
            // their gets: the hand clears the bits, may choose a 4 KiB victim, then finds the 8 KiB class
            // the coldest. Keeping the second 8 KiB buffer (both small ones evicted) or dropping it with
            // nothing evicted are both the policy's to choose; evicting one and dropping it is not.
            BufferPool pool = pool(unsampled().tlsCacheSize(0).numShards(1).maxBufferSize(8192)
                    .maxPooledBytes(4 * 4096).evictionPolicy(EvictionPolicy.CLOCK_PRO));
            ByteBuffer a1 = pool.get(4096);
            ByteBuffer a2 = pool.get(4096);
            ByteBuffer b1 = pool.get(8192);
            ByteBuffer b2 = pool.get(8192);
            pool.put(a1);
            pool.put(a2);
            pool.put(b1); // the budget is full
            pool.put(b2);
            PoolStats stats = pool.stats();
            assertThat(stats.dropped() == 1 ? stats.evictions() : stats.dropped())
                    .as("dropped %d, evicted %d", stats.dropped(), stats.evictions()).isZero();
            assertThat(stats.pooledBytes()).isEqualTo(stats.dropped() == 1 ? 4 * 4096 : 2 * 8192);
        }

        @Test
        void noPolicyEvictsBuffersThatCouldNotMakeRoomForTheIncomingOne() {
            for (EvictionPolicy policy : EvictionPolicy.values()) {
                // the budget holds ten 4 KiB buffers and one 64 KiB one: evicting all ten frees 40 KiB, too
                // little for another 64 KiB buffer, and the 64 KiB class is the incoming one's
                BufferPool pool = pool(unsampled().tlsCacheSize(0).numShards(1).maxBufferSize(65536)
                        .maxPooledBytes(10 * 4096 + 65536).evictionPolicy(policy));
                List<ByteBuffer> small = new ArrayList<>();
                List<ByteBuffer> big = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    small.add(pool.get(4096));
                    big.add(pool.get(65536));
                }
                big.add(pool.get(65536));
                small.forEach(pool::put);
                pool.put(big.remove(0)); // the budget is full

                big.forEach(pool::put);

                PoolStats stats = pool.stats();
                assertThat(stats.evictions()).as(policy.name()).isZero();
                assertThat(stats.dropped()).as(policy.name()).isEqualTo(10);
                assertThat(stats.pooledBuffers()).as(policy.name()).isEqualTo(11);
                long missesBefore = stats.misses();
                for (int i = 0; i < 10; i++) {
                    pool.get(4096); // the ten small buffers are all still there
                }
                assertThat(pool.stats().misses()).as(policy.name()).isEqualTo(missesBefore);
            }
        }

        @Test
        void atTheCountBoundIdleLeakSparesGiveWayBeforeAPutIsDropped() {
            // two slots; under ALL every get leaves a spare behind, and the spares hold most of the budget
            BufferPool pool = pool(BufferPool.builder().leakDetection(LeakDetection.ALL).tlsCacheSize(0).numShards(1)
                    .maxBuffersPerShard(2).maxBufferSize(65536).maxPooledBytes(240_000));
            ByteBuffer first = pool.get(65536);
            ByteBuffer small = pool.get(4096);
            ByteBuffer second = pool.get(65536);
            pool.put(small);
            pool.put(first); // both slots taken

            pool.put(second); // a slot from evicting the cold 4 KiB buffer, the bytes from the spares

            assertThat(pool.stats().dropped()).isZero();
            assertThat(pool.stats().evictions()).isEqualTo(1);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(2);
        }

        @Test
        void clockProKeepsAClassThatIsBeingReused() {
            BufferPool pool = full(EvictionPolicy.CLOCK_PRO);
            ByteBuffer reused = pool.get(4096); // a shard hit: the 4 KiB class is referenced
            pool.put(reused);
            ByteBuffer first = pool.get(8192);
            pool.put(first); // the sweep clears 4 KiB's reference bit, then evicts one 4 KiB buffer
            ByteBuffer second = pool.get(16384);
            pool.put(second);
            assertThat(pool.stats().shards().get(0).evictions()).isEqualTo(2);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(2);
        }
    }

    @Nested
    class Configuration {

        @Test
        void defaultsFollowTheMachine() {
            int cpus = Runtime.getRuntime().availableProcessors();
            PoolConfig config = new BufferPool().config();
            assertThat(config).isEqualTo(PoolConfig.defaults());
            assertThat(config.numShards()).isEqualTo(MachineDefaults.numShards(cpus));
            assertThat(config.tlsCacheSize()).isEqualTo(MachineDefaults.tlsCacheSize(cpus));
            assertThat(config.maxBuffersPerShard())
                    .isEqualTo(MachineDefaults.maxBuffersPerShard(config.maxPooledBytes(), config.minBufferSize()));
            assertThat(config.minBufferSize()).isEqualTo(4096);
            assertThat(config.maxBufferSize()).isEqualTo(64 << 20);
            assertThat(config.maxPooledBytes()).isEqualTo(MachineDefaults.maxDirectMemory() / 4);
            assertThat(config.evictionPolicy()).isEqualTo(EvictionPolicy.CLOCK_PRO);
            assertThat(config.direct()).isTrue();
            assertThat(config.pinnedMemory()).isFalse();
            assertThat(config.validation()).isEqualTo(Validation.FAST);
            assertThat(config.leakDetection()).isEqualTo(LeakDetection.SAMPLED);
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(config.clearOnRelease()).isFalse();
        }

        @Test
        void everyOptionReachesTheConfig() {
            PoolConfig config = pool(unsampled().tlsCacheSize(3).minBufferSize(1024).maxBufferSize(1 << 16)
                    .maxBuffersPerShard(7).numShards(2).maxPooledBytes(12345).evictionPolicy(EvictionPolicy.LIFO)
                    .direct(false).pinnedMemory(true).validation(Validation.STRICT).leakDetection(LeakDetection.ALL)
                    .idleTimeout(Duration.ofMinutes(5)).clearOnRelease(true)).config();
            assertThat(config).isEqualTo(new PoolConfig(3, 1024, 1 << 16, 7, 2, 12345, true, EvictionPolicy.LIFO,
                    false, Validation.STRICT, LeakDetection.ALL, Duration.ofMinutes(5), true));
        }

        @Test
        void heapPoolsDefaultToAQuarterOfTheHeap() {
            assertThat(BufferPool.builder().direct(false).toConfig().maxPooledBytes())
                    .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        }

        @Test
        void invalidValuesAreRejectedByBuildNamingOptionValueAndRange() {
            assertInvalid(BufferPool.builder().numShards(3), "numShards", "3", "a power of two in [1, 1024]");
            assertInvalid(BufferPool.builder().numShards(0), "numShards", "0", "a power of two in [1, 1024]");
            assertInvalid(BufferPool.builder().numShards(2048), "numShards", "2048", "a power of two in [1, 1024]");
            assertInvalid(BufferPool.builder().tlsCacheSize(-1), "tlsCacheSize", "-1", "in [0, 1024]");
            assertInvalid(BufferPool.builder().minBufferSize(1000), "minBufferSize", "1000",
                    "a power of two in [16, 1073741824]");
            assertInvalid(BufferPool.builder().minBufferSize(8), "minBufferSize", "8",
                    "a power of two in [16, 1073741824]");
            assertInvalid(BufferPool.builder().maxBufferSize(3 << 20), "maxBufferSize", "3145728",
                    "a power of two in [minBufferSize 4096, 1073741824]");
            assertInvalid(BufferPool.builder().maxBufferSize(-1), "maxBufferSize", "-1",
                    "a power of two in [minBufferSize 4096, 1073741824]");
            assertInvalid(BufferPool.builder().minBufferSize(1 << 20).maxBufferSize(1 << 16), "maxBufferSize",
                    "65536", "a power of two in [minBufferSize 1048576, 1073741824]");
            assertInvalid(BufferPool.builder().maxBuffersPerShard(0), "maxBuffersPerShard", "0", "in [1, 2147483647]");
            assertInvalid(BufferPool.builder().maxPooledBytes(0), "maxPooledBytes", "0", "at least 1");
            assertInvalid(BufferPool.builder().evictionPolicy(null), "evictionPolicy", "null",
                    "one of CLOCK_PRO, LIFO");
            assertInvalid(BufferPool.builder().validation(null), "validation", "null", "one of OFF, FAST, STRICT");
            assertInvalid(BufferPool.builder().leakDetection(null), "leakDetection", "null",
                    "one of OFF, SAMPLED, ALL");
            assertInvalid(BufferPool.builder().idleTimeout(Duration.ZERO), "idleTimeout", "PT0S",
                    "a duration in (0, PT8760H]");
            assertInvalid(BufferPool.builder().idleTimeout(null), "idleTimeout", "null", "a duration in (0, PT8760H]");
        }

        @Test
        void aLargeMinimumRaisesTheDefaultMaximumWithIt() {
            assertThat(BufferPool.builder().minBufferSize(1 << 28).toConfig().maxBufferSize()).isEqualTo(1 << 28);
        }

        private void assertInvalid(BufferPool.Builder builder, String option, String value, String allowed) {
            assertThatThrownBy(builder::build).isInstanceOfSatisfying(PoolConfigException.class, e -> {
                assertThat(e.option()).isEqualTo(option);
                assertThat(e.value()).isEqualTo(value);
                assertThat(e.allowed()).isEqualTo(allowed);
                assertThat(e).hasMessage(option + " must be " + allowed + ", was " + value);
            });
        }
    }

    @Nested
    class Statistics {

        @Test
        void sizeClassStatsCountPerClassAndShardStatsPerShard() {
            BufferPool pool = pool(unsampled().tlsCacheSize(1).numShards(1).maxBuffersPerShard(8));
            ByteBuffer a = pool.get(4096);
            ByteBuffer b = pool.get(4096);
            ByteBuffer c = pool.get(10_000);
            pool.put(a); // cached
            pool.put(b); // the cache is full: a and b go to the shard
            pool.put(c); // cached
            assertThat(pool.get(4096)).isSameAs(b); // from the shard
            PoolStats stats = pool.stats();
            assertThat(stats.sizeClasses()).containsExactly(
                    new SizeClassStats(4096, 1, 0, 1, 2, 0),
                    new SizeClassStats(10240, 1, 0, 0, 1, 0));
            assertThat(stats.shards()).containsExactly(new ShardStats(0, 1, 4096, 8, 1, 3, 0));
            assertThat(stats.pooledBuffers()).isEqualTo(2);
            assertThat(stats.pooledBytes()).isEqualTo(4096 + 10240);
            assertThat(stats.puts()).isEqualTo(3);
            assertThat(stats.kept()).isEqualTo(3);
        }

        @Test
        void theCountsOfThreadsThatEndedAreKeptAndTheirBuffersReclaimed() throws Exception {
            BufferPool pool = pool(unsampled().tlsCacheSize(4).numShards(1).maxBuffersPerShard(16));
            for (int i = 0; i < 10; i++) {
                Thread worker = new Thread(() -> {
                    ByteBuffer first = pool.get(4096);
                    pool.put(first);
                    ByteBuffer second = pool.get(4096);
                    pool.put(second);
                });
                worker.start();
                worker.join();
            }
            PoolStats stats = pool.stats();
            assertThat(stats.gets()).isEqualTo(20);
            assertThat(stats.puts()).isEqualTo(20);
            assertThat(stats.tlsHits()).isEqualTo(10);
            assertThat(stats.misses() + stats.shardHits()).isEqualTo(10);
            assertThat(stats.misses()).isEqualTo(1); // each thread found its predecessor's buffer in the shard
            assertThat(stats.pooledBuffers()).isEqualTo(1);
        }
    }

    @Nested
    class Clear {

        @Test
        void dropsEveryBufferTheShardsHoldAndGivesTheirBytesBack() {
            BufferPool pool = pool(unsampled().minBufferSize(4096).maxBufferSize(1 << 20).tlsCacheSize(0)
                    .numShards(2));
            List<ByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                taken.add(pool.get(8192));
            }
            taken.forEach(pool::put);
            assertThat(pool.stats().pooledBytes()).isEqualTo(5 * 8192);

            assertThat(pool.clear()).isEqualTo(5 * 8192);

            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isZero();
            assertThat(stats.pooledBytes()).isZero();
            assertThat(pool.reservedBytes()).isZero();
            ByteBuffer fresh = pool.get(8192);
            assertThat(taken).noneMatch((old) -> old == fresh); // nothing cleared is handed out again
            assertThat(pool.stats().misses()).isEqualTo(6);
            pool.put(fresh);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1); // still open and pooling
        }

        @Test
        void alsoDropsWhatThreadsThatHaveEndedLeftInTheirCaches() throws InterruptedException {
            BufferPool pool = pool(unsampled().tlsCacheSize(4).leakDetection(LeakDetection.OFF));
            Thread ended = new Thread(() -> {
                List<ByteBuffer> taken = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    taken.add(pool.get(4096));
                }
                taken.forEach(pool::put); // all three stay in this thread's cache
            });
            ended.start();
            ended.join();

            assertThat(pool.clear()).isEqualTo(3 * 4096);

            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isZero();
            assertThat(pool.reservedBytes()).isZero();
        }

        @Test
        void leavesBuffersCallersHoldToComeBackAsUsualAndDoesNothingOnceClosed() {
            BufferPool pool = pool(unsampled().tlsCacheSize(0));
            ByteBuffer held = pool.get(4096);
            assertThat(pool.clear()).isZero();
            pool.put(held);
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            pool.close();
            assertThat(pool.clear()).isZero();
        }
    }

    @Test
    void aGetTheJvmCannotAllocateNamesTheSizeAndCountsNowhere() {
        try (BufferPool pool = BufferPool.builder().direct(false).leakDetection(LeakDetection.OFF).build()) {
            assertThatThrownBy(() -> pool.get(Integer.MAX_VALUE))
                    .isInstanceOf(OutOfMemoryError.class).hasMessageContaining(String.valueOf(Integer.MAX_VALUE));

            assertThat(pool.stats().gets()).isZero();
            assertThat(pool.stats().misses()).isZero();
        }
    }
}
