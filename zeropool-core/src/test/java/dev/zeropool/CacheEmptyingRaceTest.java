package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * The places that empty a thread cache off its owner's hit path, raced against one another and against
 * the owner's put: a sweep of an ended thread, a trim that finds the cache taken back, close(). Each
 * buffer must be taken exactly once, and a closed pool must keep no reservation.
 *
 * <p>The races are explored by Lincheck's model checker on one fixed scenario each (no sleeps, no
 * timing): it runs the two operations under the interleavings it picks at shared-memory accesses; the
 * post part reports a figure that every sequential order gives the same way, so any other value is a
 * lost or doubly taken buffer. (Both failed here while a cache's drain read its slots plainly and only
 * below its count, and close() cleared slots without taking the cache back.)
 */
class CacheEmptyingRaceTest {

    private static final Thread ENDED = endedThread();

    private static Thread endedThread() {
        Thread thread = new Thread(); // no lambda: its body would wait for this class's initialisation
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return thread;
    }

    private static ExecutionScenario scenario(Class<?> test, String first, String second, String post) {
        return new ExecutionScenario(List.of(), List.of(List.of(actor(test, first)), List.of(actor(test, second))),
                List.of(actor(test, post)), null);
    }

    private static Actor actor(Class<?> test, String name) {
        try {
            Method method = test.getMethod(name);
            return new Actor(method, List.of());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void modelCheck(Class<?> test, String first, String second, String post) {
        assumeTrue(Runtime.version().feature() <= 21, "Lincheck 2.x model checking needs JDK <= 21");
        LinChecker.check(test, new ModelCheckingOptions().iterations(0).invocationsPerIteration(300)
                .addCustomScenario(scenario(test, first, second, post)).minimizeFailedScenario(false));
    }

    /**
     * An ended thread's cache: a sweep (stats(), a registration, clear()) wins the lease and empties it
     * ({@link ThreadCache#takeBack}), while a trim whose snapshot still lists the cache finds it taken back
     * and takes what is left ({@link ThreadCache#takeStragglers}). The sweep pools what it took, the trim
     * drops and unpins what it took: a buffer both took would be pooled unpinned. Every sequential order
     * takes each of the two buffers once: 2 in all.
     */
    public static class SweepVersusTrim {
        private final ByteBudget budget = new ByteBudget(1 << 20);
        private final IdleClock clock;
        private final int trim;
        private final ThreadCache cache;
        private final AtomicInteger takes = new AtomicInteger();

        public SweepVersusTrim() {
            long[] now = {0};
            clock = new IdleClock(() -> now[0], 1);
            int start = clock.stamp();
            cache = new ThreadCache(ENDED, 0, 2, 1, start, 0, 1);
            cache.push(0, ByteBuffer.allocate(4096), budget, start);
            cache.push(0, ByteBuffer.allocate(4096), budget, start);
            now[0] += 10;
            clock.advance();
            now[0] += 10;
            trim = clock.advance();
        }

        @Operation
        public void sweep() {
            takes.addAndGet(cache.takeBack(budget).size());
        }

        @Operation
        public void trim() {
            takes.addAndGet(cache.revokeIfIdle(clock, trim, budget).size());
        }

        /** @return buffers taken out, all takers together (2 in every sequential order) */
        @Operation
        public int takes() {
            return takes.get();
        }
    }

    @Test
    void aSweepDrainingAnEndedCacheAndATrimTakingStragglersNeverBothTakeOneBuffer() {
        modelCheck(SweepVersusTrim.class, "sweep", "trim", "takes");
    }

    /**
     * close() racing one put, the case close()'s Javadoc allows to leave "its one buffer in its thread's
     * cache until that thread next calls the pool or ends": a push that read the count before close()
     * emptied the slots stores after it. The owner's next call (or the sweep once it has ended) must
     * find that buffer, wherever it landed: with pinning it would otherwise stay locked for good. In
     * every sequential order close and the call after it find both buffers together.
     */
    public static class PutVersusClose {
        private final ByteBudget budget = new ByteBudget(1 << 20);
        private final ThreadCache cache = new ThreadCache(ENDED, 0, 4, 1, 0, 0, 1);
        private final ByteBuffer late = ByteBuffer.allocate(4096);
        private final AtomicInteger abandoned = new AtomicInteger();

        public PutVersusClose() {
            ByteBuffer held = ByteBuffer.allocate(4096);
            ByteBuffer lent = ByteBuffer.allocate(4096);
            cache.push(0, held, budget, 0);
            cache.push(0, lent, budget, 0);
            cache.pop(0); // its slot stays room: the racing put needs no reservation
        }

        @Operation
        public void put() {
            cache.push(0, late, budget, 0);
        }

        @Operation
        public void close() {
            abandoned.addAndGet(cache.revokeOnClose(budget).size());
        }

        /** @return buffers found by close and by the owner's call after it (2 in every sequential order) */
        @Operation
        public int found() {
            return abandoned.get() + cache.takeBack(budget).size();
        }
    }

    @Test
    void aPutRacingCloseLeavesNoBufferThatTheNextDrainCannotFind() {
        modelCheck(PutVersusClose.class, "put", "close", "found");
    }

    /** The put close() raced, landing after it: the owner's next call finds it, with no bytes to give back. */
    @Test
    void theBufferOfAPutThatLandsAfterCloseIsFoundByTheOwnersNextCall() {
        ByteBudget budget = new ByteBudget(1 << 20);
        ThreadCache cache = new ThreadCache(Thread.currentThread(), 0, 4, 1, 0, 0, 1);
        ByteBuffer held = ByteBuffer.allocate(4096);
        ByteBuffer late = ByteBuffer.allocate(4096);
        assertThat(cache.push(0, held, budget, 0)).isTrue();
        assertThat(cache.push(0, ByteBuffer.allocate(4096), budget, 0)).isTrue();
        assertThat(cache.pop(0)).isNotNull(); // its slot stays room: the late put needs no reservation

        assertThat(cache.revokeOnClose(budget)).containsExactly(held);
        assertThat(budget.reserved()).as("bytes close() gave back").isZero();
        assertThat(cache.push(0, late, budget, 0)).as("the racing put's store").isTrue();

        assertThat(cache.takeBack(budget)).containsExactly(late);
        assertThat(budget.reserved()).isZero();
    }

    /**
     * What a thread's cache has reserved goes back when the cache is emptied, close() included (README,
     * "Bounded memory"): close() takes a live, idle thread's cache back, not just its slots.
     */
    @Test
    void closeGivesBackWhatALiveIdleThreadsCacheReserved() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            BufferPool pool = BufferPool.builder().tlsCacheSize(4).leakDetection(LeakDetection.OFF).build();
            owner.submit(() -> pool.put(pool.get(4096))).get();
            assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
            pool.close();
            assertThat(pool.stats().pooledBuffers()).isZero();
            assertThat(pool.reservedBytes()).as("bytes reserved by a closed pool that holds nothing").isZero();
        } finally {
            owner.shutdown();
        }
    }
}
