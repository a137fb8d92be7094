package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Rules 1 and 2 of the shared tier, deterministically, on the tier itself: a returned batch is kept
 * whole, and an idle buffer in a shard whose lock another thread holds is still found (the get waits
 * for the lock instead of allocating); and the double-put check, which must find a buffer a steal moves.
 */
class BusyShardTest {

    private final PoolConfig config = BufferPool.builder().numShards(4).maxPooledBytes(64L << 20).toConfig();
    private final SizeClasses classes = new SizeClasses(config.minBufferSize(), config.maxBufferSize());
    private final ByteBudget budget = new ByteBudget(config.maxPooledBytes());
    private final SharedTier tier = new SharedTier(config, classes, budget, evicted -> {
        throw new AssertionError("nothing should be evicted");
    });
    private final int sizeClass = classes.indexFor(4096);

    @Test
    void anIdleBufferInAShardWhoseLockIsHeldIsWaitedForNotReplacedByAnAllocation() throws Exception {
        ByteBuffer idle = ByteBuffer.allocateDirect(4096);
        assertThat(tier.offer(sizeClass, idle, 2, 0, true)).isTrue();
        Shard busy = tier.shard(2);
        AtomicReference<ByteBuffer> taken = new AtomicReference<>();
        busy.lock(); // another thread is in the middle of an operation on shard 2
        Thread getter = new Thread(() -> taken.set(tier.take(sizeClass, 0, 0)));
        try {
            getter.start();
            while (busy.waiting() == 0 && getter.isAlive()) {
                Thread.onSpinWait(); // until the getter waits for the lock (or, wrongly, gave up)
            }
            assertThat(getter.isAlive()).as("the getter gave up on the busy shard").isTrue();
        } finally {
            busy.unlock();
        }
        getter.join();
        assertThat(taken.get()).isSameAs(idle);
        assertThat(tier.shard(0).stats().misses()).isZero();
    }

    @Test
    void theDoublePutCheckFindsABufferThatAStealMovesWhileItLooks() throws Exception {
        // Shard 3 holds B under C. A thread homed on shard 0 steals C and moves B home, to shard 0, while the
        // check is held up at shard 1: looked at one shard at a time, B would be past it, not found, and a
        // second put of B taken (B then pooled twice, for two holders).
        ByteBuffer b = ByteBuffer.allocateDirect(4096);
        ByteBuffer c = ByteBuffer.allocateDirect(4096);
        assertThat(tier.offer(sizeClass, b, 3, 0, true)).isTrue();
        assertThat(tier.offer(sizeClass, c, 3, 0, true)).isTrue();
        Shard holdUp = tier.shard(1);
        holdUp.lock();
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        Thread checker = new Thread(() -> held.complete(tier.holds(sizeClass, b)));
        try {
            checker.start();
            while (holdUp.waiting() == 0) {
                Thread.onSpinWait(); // until the check waits at shard 1
            }
            assertThat(tier.take(sizeClass, 0, 0)).as("the thief's get").isSameAs(c);
        } finally {
            holdUp.unlock();
        }
        assertThat(held.get(60, TimeUnit.SECONDS)).as("B found, wherever the steal left it").isTrue();
        checker.join();
    }

    @Test
    void oneShardsSpareCreditNeverMakesAnotherShardDrop() {
        // Four 4 KiB buffers fill a 16 KiB budget; shards reserve with a chunk of 16 KiB / (16 x 4) = 256.
        PoolConfig small = BufferPool.builder().numShards(4).maxPooledBytes(4 * 4096).toConfig();
        ByteBudget tight = new ByteBudget(small.maxPooledBytes());
        SharedTier tier = new SharedTier(small, classes, tight, evicted -> {
            throw new AssertionError("nothing should be evicted");
        });
        for (int i = 0; i < 4; i++) {
            assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4096), 0, 0, true)).isTrue();
        }
        assertThat(tier.take(sizeClass, 0, 0)).isNotNull(); // shard 0 keeps 256 bytes of it as credit
        assertThat(tight.available()).isLessThan(4096);
        // Only 3 x 4 KiB are pooled, so a fourth fits: shard 1 must get shard 0's credit back to keep it.
        assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4096), 1, 0, true)).isTrue();
        assertThat(tight.reserved()).isLessThanOrEqualTo(tight.limit());
    }

    @Test
    void aBatchReturnedToOneShardIsKeptWholeAndServesAnotherShardsThreads() {
        ByteBuffer[] batch = new ByteBuffer[1000];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = ByteBuffer.allocateDirect(4096);
            assertThat(tier.offer(sizeClass, batch[i], 1, 0, true)).as("buffer %d kept", i).isTrue();
        }
        assertThat(budget.reserved()).isGreaterThanOrEqualTo(1000L * 4096);
        java.util.Set<ByteBuffer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < batch.length; i++) {
            ByteBuffer buffer = tier.take(sizeClass, 3, 0); // homed elsewhere: steals batches home
            assertThat(buffer).as("get %d", i).isNotNull();
            assertThat(seen.add(buffer)).as("handed out twice").isTrue();
        }
        assertThat(tier.take(sizeClass, 3, 0)).isNull();
        long misses = 0;
        for (int s = 0; s < 4; s++) {
            misses += tier.shard(s).stats().misses();
        }
        // none: every take found a buffer, and the last, which found none, leaves the miss to its caller,
        // which counts it once it has allocated (a get that fails to allocate is no get)
        assertThat(misses).isZero();
    }

    @Test
    void aGetWhoseHomeIsBusyTakesFromAFreeNeighbourWithoutWaiting() throws Exception {
        ByteBuffer idle = ByteBuffer.allocateDirect(4096);
        assertThat(tier.offer(sizeClass, idle, 1, 0, true)).isTrue();
        Shard home = tier.shard(0);
        home.lock(); // another thread is in the middle of an operation on the getter's home
        try {
            // Were the get to wait for its home, it could not finish while the lock is held here.
            ByteBuffer taken = CompletableFuture.supplyAsync(() -> tier.take(sizeClass, 0, 0))
                    .get(30, TimeUnit.SECONDS);
            assertThat(taken).isSameAs(idle);
        } finally {
            home.unlock();
        }
        assertThat(tier.shard(1).stats().hits()).isEqualTo(1);
        assertThat(home.stats().misses()).isZero();
    }

    @Test
    void aPutWhoseHomeIsBusyIsKeptByAFreeNeighbourWithoutWaiting() throws Exception {
        Shard home = tier.shard(2);
        home.lock();
        try {
            boolean kept = CompletableFuture.supplyAsync(() -> tier.offer(sizeClass, ByteBuffer.allocateDirect(4096),
                    2, 0, true)).get(30, TimeUnit.SECONDS);
            assertThat(kept).isTrue();
        } finally {
            home.unlock();
        }
        assertThat(home.stats().buffers()).isZero();
        assertThat(tier.shard(3).stats().buffers()).isEqualTo(1);
        assertThat(tier.take(sizeClass, 2, 0)).isNotNull(); // and its home finds it there
    }

    @Test
    void aPutWhoseHomeAndNeighboursAreBusyWaitsForItsHomeRatherThanDropping() throws Exception {
        for (int s = 0; s < 4; s++) {
            tier.shard(s).lock();
        }
        CompletableFuture<Boolean> put = CompletableFuture.supplyAsync(
                () -> tier.offer(sizeClass, ByteBuffer.allocateDirect(4096), 0, 0, true));
        try {
            while (tier.shard(0).waiting() == 0 && !put.isDone()) {
                Thread.onSpinWait(); // until the put waits for its home (or, wrongly, gave up)
            }
            assertThat(put.isDone()).as("the put gave up on its busy home").isFalse();
        } finally {
            for (int s = 3; s >= 0; s--) {
                tier.shard(s).unlock();
            }
        }
        assertThat(put.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tier.shard(0).stats().buffers()).isEqualTo(1);
    }

    @Test
    void aStealTriesTheShardTheLastStealFoundBuffersInFirst() {
        assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4096), 3, 0, true)).isTrue();
        assertThat(tier.take(sizeClass, 0, 0)).isNotNull(); // shards 1 and 2 hold nothing: from 3
        assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4096), 1, 0, true)).isTrue();
        assertThat(tier.offer(sizeClass, ByteBuffer.allocateDirect(4096), 3, 0, true)).isTrue();
        assertThat(tier.take(sizeClass, 0, 0)).isNotNull(); // 1 comes first in order, but 3 served last time
        assertThat(tier.shard(3).stats().hits()).isEqualTo(2);
        assertThat(tier.shard(1).stats().buffers()).isEqualTo(1);
    }
}
