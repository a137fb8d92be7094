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
 * room. {@link #trim} drops a class's spares once none has come back for the idle timeout.
 *
 * <p>Thread-safe: one monitor, taken once by a sampled {@code get} and once by its {@code put}.
 */
final class SampledSpares {

    private final SizeClasses classes;
    private final ByteBudget budget;
    private final List<ArrayDeque<ByteBuffer>> idle; // guarded by this
    private final int[] lastKept;                    // guarded by this: idle-clock stamp of each class's last keep

    SampledSpares(SizeClasses classes, ByteBudget budget) {
        this.classes = classes;
        this.budget = budget;
        this.idle = new ArrayList<>(classes.count());
        for (int c = 0; c < classes.count(); c++) {
            idle.add(new ArrayDeque<>());
        }
        this.lastKept = new int[classes.count()];
    }

    /** Bytes of a spare of the class: its capacity plus one, which no class has (class capacities are even). */
    int capacity(int sizeClass) {
        return classes.capacity(sizeClass) + 1;
    }

    /** @return an idle spare of the class, its bytes released from the budget; {@code null} if none is idle */
    synchronized ByteBuffer take(int sizeClass) {
        ByteBuffer spare = idle.get(sizeClass).pollLast();
        if (spare != null) {
            budget.release(spare.capacity());
        }
        return spare;
    }

    /**
     * Keeps a spare that came back, if the budget has room for it now; else the caller drops it.
     *
     * @param stamp the idle clock's stamp now, from which the class's spares count as idle
     */
    synchronized boolean keep(int sizeClass, ByteBuffer spare, int stamp) {
        if (!budget.tryReserveNow(spare.capacity())) {
            return false;
        }
        idle.get(sizeClass).addLast(spare);
        lastKept[sizeClass] = stamp;
        return true;
    }

    /** @return the idle spares of classes none has come back to for the idle timeout, released from the budget */
    synchronized List<ByteBuffer> trim(IdleClock clock, int trim) {
        List<ByteBuffer> dropped = new ArrayList<>();
        for (int c = 0; c < lastKept.length; c++) {
            if (!idle.get(c).isEmpty() && clock.expired(lastKept[c], trim)) {
                release(idle.get(c), dropped);
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

    private void release(ArrayDeque<ByteBuffer> spares, List<ByteBuffer> into) {
        for (ByteBuffer spare; (spare = spares.pollFirst()) != null; ) {
            budget.release(spare.capacity());
            into.add(spare);
        }
    }

    /** @return spares idle now (a snapshot) */
    synchronized int idleCount() {
        int count = 0;
        for (ArrayDeque<ByteBuffer> spares : idle) {
            count += spares.size();
        }
        return count;
    }
}
