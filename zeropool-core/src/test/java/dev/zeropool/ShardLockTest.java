package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The shard lock's waiting, where a holder can block. */
class ShardLockTest {

    /*
     * Where it happened: a virtual thread's put made room under its shard's lock, the byte budget's reclaimer
     * waited for the leak-sampling spares' monitor, and the virtual threads waiting for the shard, spinning
     * and yielding only, kept both carriers to themselves: the holder never ran again. On JDK 24+ a virtual
     * thread blocked on a monitor gives up its carrier; on 21 it keeps it (and this passes either way).
     */
    @Test
    void aVirtualHolderThatBlockedGetsACarrierBackFromVirtualWaiters() throws Exception {
        holderThatBlockedRunsAgain(false);
    }

    /*
     * A cancelled virtual-thread task (Future.cancel(true), a structured scope shutting down) that puts its
     * buffer back in a finally block waits with its interrupt flag set, and parkNanos returns at once for
     * an interrupted thread: such waiters kept their carriers as the yielding ones did.
     */
    @Test
    void interruptedVirtualWaitersGiveTheirCarriersBackTooAndStayInterrupted() throws Exception {
        holderThatBlockedRunsAgain(true);
    }

    private static void holderThatBlockedRunsAgain(boolean interruptWaiters) throws Exception {
        ThreadFactory virtual = virtualThreads();
        ShardLock lock = new ShardLock();
        Object monitor = new Object();
        int waiters = 2 * Runtime.getRuntime().availableProcessors(); // more than the default scheduler's carriers
        CountDownLatch holderDone = new CountDownLatch(1);
        CountDownLatch waitersDone = new CountDownLatch(waiters);
        synchronized (monitor) {
            Thread holder = virtual.newThread(() -> {
                lock.lock();
                try {
                    synchronized (monitor) { // blocks until the test lets go, with the shard lock held
                        assertThat(Thread.holdsLock(monitor)).isTrue();
                    }
                } finally {
                    lock.unlock();
                }
                holderDone.countDown();
            });
            holder.start();
            awaitCondition(() -> holder.getState() == Thread.State.BLOCKED);
            for (int i = 0; i < waiters; i++) {
                virtual.newThread(() -> {
                    if (interruptWaiters) {
                        Thread.currentThread().interrupt();
                    }
                    lock.lock();
                    lock.unlock();
                    if (Thread.currentThread().isInterrupted() == interruptWaiters) {
                        waitersDone.countDown(); // an interrupt is not lost to the wait, nor made up
                    }
                }).start();
            }
            awaitCondition(() -> lock.waiting() == waiters); // all of them in lock()'s wait loop
        }
        assertThat(holderDone.await(60, TimeUnit.SECONDS)).as("the holder ran again and let go of the lock").isTrue();
        assertThat(waitersDone.await(60, TimeUnit.SECONDS))
                .as("every waiter then took the lock, its interrupt status as it was").isTrue();
        assertThat(lock.waiting()).isZero();
    }

    private static void awaitCondition(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited a minute for the condition").isNegative();
            Thread.yield();
        }
    }

    /** {@code Thread.ofVirtual().factory()}, which exists from JDK 21; the build targets 17. */
    private static ThreadFactory virtualThreads() throws ReflectiveOperationException {
        assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21+, this is " + Runtime.version() + ": skipped (it runs on JDK 25 in CI)");
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    }
}
