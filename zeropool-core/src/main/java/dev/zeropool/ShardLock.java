package dev.zeropool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A shard's lock: one compare-and-set to take it, one release store to give it back. The critical
 * sections it guards are a few array operations that never block, so a waiter spins briefly and then
 * yields (a virtual thread yields its carrier) instead of parking; there is no queue, no owner field and
 * no fence on release, which is what makes it cheaper than {@link java.util.concurrent.locks.ReentrantLock}
 * on the paths virtual threads take for every operation. Not reentrant.
 *
 * <p>Memory ordering: {@link #lock()} and {@link #tryLock()} acquire (a successful CAS), {@link #unlock()}
 * releases ({@code setRelease}), so everything written under the lock happens-before the next holder's
 * reads.
 */
class ShardLock extends ShardLockPadding {

    private static final VarHandle STATE;
    private static final VarHandle WAITING;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(ShardLock.class, "state", int.class);
            WAITING = lookup.findVarHandle(ShardLock.class, "waiting", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE: 0 free, 1 held
    private volatile int state;
    private volatile int waiting; // threads in lock()'s wait loop; written only there, off the fast path

    /** Takes the lock if it is free. @return whether the caller now holds it */
    final boolean tryLock() {
        return (int) STATE.getOpaque(this) == 0 && STATE.compareAndSet(this, 0, 1);
    }

    /** Takes the lock, spinning and then yielding while another thread holds it. */
    final void lock() {
        if (STATE.compareAndSet(this, 0, 1)) {
            return;
        }
        WAITING.getAndAdd(this, 1);
        for (int spins = 0; !tryLock(); spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the holder may have been descheduled: let it run
            }
        }
        WAITING.getAndAdd(this, -1);
    }

    /** @return how many threads are waiting for this lock now (for tests and diagnostics) */
    final int waiting() {
        return waiting;
    }

    final void unlock() {
        STATE.setRelease(this, 0);
    }
}
