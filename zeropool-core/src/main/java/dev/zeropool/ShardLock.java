package dev.zeropool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A shard's lock: one compare-and-set to take it, one release store to give it back. The critical
 * sections it guards are mostly a few array operations, so a waiter spins briefly and then yields (a
 * virtual thread yields its carrier); a virtual waiter that has yielded a while parks instead, for a
 * time that grows up to {@value #LONGEST_PARK_NANOS} ns before it tries again. There is no queue, no owner
 * field and no fence on release, which is what makes it cheaper than
 * {@link java.util.concurrent.locks.ReentrantLock} on the paths virtual threads take for every operation.
 * Not reentrant.
 *
 * <p>Why virtual waiters park: a holder can block. Making room may run the byte budget's reclaimer, and
 * dropping a buffer may unpin it, each behind a monitor; on JDK 24+ a virtual thread that blocks on a
 * monitor gives up its carrier and needs one back to go on. Virtual waiters that only yielded would keep
 * every carrier busy handing it to one another, and the holder, runnable again, would never be
 * scheduled: the shard, and every thread that needs it, would hang. A platform thread's yield holds no
 * carrier, and the operating system runs a holder that is ready, so platform waiters keep yielding: a
 * timed park lasts tens of microseconds at least, and would add that to waits that a yield ends sooner
 * (with more busy threads than cores, holders are often descheduled, and waits get that long).
 *
 * <p>Memory ordering: {@link #lock()} and {@link #tryLock()} acquire (a successful CAS), {@link #unlock()}
 * releases ({@code setRelease}), so everything written under the lock happens-before the next holder's
 * reads.
 */
class ShardLock extends ShardLockPadding {

    private static final VarHandle STATE;
    private static final VarHandle WAITING;
    private static final int SPINS_BEFORE_YIELD = 64;
    // tries before a virtual waiter parks (about a millisecond of yields): parking is for a holder that
    // blocked, not for the usual short wait, which a park would overshoot
    private static final int TRIES_BEFORE_PARK = 1024;
    private static final long LONGEST_PARK_NANOS = 1L << 20; // about a millisecond between tries, at worst

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
        boolean interrupted = false;
        // tries stops counting once parks are as long as they get: counting on, it would wrap after 2^31
        // tries (minutes of yields) and turn a waiter into a spinner that never lets its holder run
        for (int tries = 0; !tryLock(); tries = Math.min(tries + 1, TRIES_BEFORE_PARK + 10)) {
            if (tries < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else if (tries < TRIES_BEFORE_PARK || !Threads.isVirtual(Thread.currentThread())) {
                Thread.yield(); // the holder may have been descheduled: let it run
            } else {
                // the holder may have blocked: give its carrier back (see the class comment), and poll,
                // there being no queue to be woken from: 1 us at first, twice as long each time after.
                // An interrupted thread's park returns at once and keeps its carrier: the flag is set
                // aside while waiting and set again once the lock is taken (the caller's to handle)
                interrupted |= Thread.interrupted();
                LockSupport.parkNanos(Math.min(LONGEST_PARK_NANOS, 1000L << (tries - TRIES_BEFORE_PARK)));
            }
        }
        WAITING.getAndAdd(this, -1);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return how many threads are waiting for this lock now (for tests and diagnostics) */
    final int waiting() {
        return waiting;
    }

    final void unlock() {
        STATE.setRelease(this, 0);
    }
}
