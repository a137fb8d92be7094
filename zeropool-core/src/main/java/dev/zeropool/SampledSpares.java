package dev.zeropool;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers a leak-sampled {@code get} hands out views of, kept for reuse while idle. A spare is one
 * byte larger than its size class, so that the view's capacity is no class's: {@code put} then takes the
 * view to its slow path through the capacity check it makes on every call anyway, and the fast path pays
 * nothing for leak detection (see {@link LeakDetector}).
 *
 * <p>Idle spares are pool memory and hold their bytes in the byte budget, but they give way to buffers:
 * one is kept only while the budget has room for it at once, and {@link #drain} (which the budget's
 * reclaimer runs when a reservation fails) gives them all back before any buffer is refused for want of
 * room. {@link #trim} drops each spare that has been idle for the idle timeout, as the shards do
 * their buffers (taken last in, first out, so a class used now and then keeps its most recent ones).
 *
 * <p>Thread-safe: one monitor, taken once by a sampled {@code get} and once by its {@code put}.
 */
final class SampledSpares {

    private final SizeClasses classes;
    private final ByteBudget budget;
    private final List<ArrayDeque<Idle>> idle; // per class, oldest first; guarded by this
    private boolean closed; // guarded by this: a closed pool keeps no spare, however late its view comes back

    /** An idle spare and the idle clock's stamp when it came back. */
    private record Idle(ByteBuffer spare, int stamp) {
    }

    SampledSpares(SizeClasses classes, ByteBudget budget) {
        this.classes = classes;
        this.budget = budget;
        this.idle = new ArrayList<>(classes.count());
        for (int c = 0; c < classes.count(); c++) {
            idle.add(new ArrayDeque<>());
        }
    }

    /** Bytes of a spare of the class: its capacity plus one, which no class has (class capacities are multiples of four). */
    int capacity(int sizeClass) {
        return classes.capacity(sizeClass) + 1;
    }

    /** @return an idle spare of the class, its bytes released from the budget; {@code null} if none is idle */
    synchronized ByteBuffer take(int sizeClass) {
        Idle last = idle.get(sizeClass).pollLast();
        if (last == null) {
            return null;
        }
        budget.release(last.spare().capacity());
        return last.spare();
    }

    /**
     * Keeps a spare that came back, if the budget has room for it now and {@link #close} has not run;
     * else the caller drops it.
     *
     * @param stamp the idle clock's stamp now, from which the class's spares count as idle
     */
    synchronized boolean keep(int sizeClass, ByteBuffer spare, int stamp) {
        if (closed || !budget.tryReserveNow(spare.capacity())) {
            return false;
        }
        idle.get(sizeClass).addLast(new Idle(spare, stamp));
        return true;
    }

    /** @return the spares idle for the idle timeout at trim {@code trim}, released from the budget */
    synchronized List<ByteBuffer> trim(IdleClock clock, int trim) {
        List<ByteBuffer> dropped = new ArrayList<>();
        for (ArrayDeque<Idle> spares : idle) {
            for (Idle oldest; (oldest = spares.peekFirst()) != null && clock.expired(oldest.stamp(), trim); ) {
                spares.pollFirst();
                budget.release(oldest.spare().capacity());
                dropped.add(oldest.spare());
            }
        }
        return dropped;
    }

    /** @return every idle spare, released from the budget; for the caller to forget */
    synchronized List<ByteBuffer> drain() {
        List<ByteBuffer> dropped = new ArrayList<>();
        idle.forEach(spares -> release(spares, dropped));
        return dropped;
    }

    /**
     * Drops every idle spare, as {@link #drain} does, and keeps none from now on: the view's put that
     * checked the pool open just before {@code close()} would otherwise keep its spare in a closed pool.
     *
     * @return the spares dropped, released from the budget
     */
    synchronized List<ByteBuffer> close() {
        closed = true;
        return drain();
    }

    private void release(ArrayDeque<Idle> spares, List<ByteBuffer> into) {
        for (Idle oldest; (oldest = spares.pollFirst()) != null; ) {
            budget.release(oldest.spare().capacity());
            into.add(oldest.spare());
        }
    }

    /** @return spares idle now (a snapshot) */
    synchronized int idleCount() {
        int count = 0;
        for (ArrayDeque<Idle> spares : idle) {
            count += spares.size();
        }
        return count;
    }
}
