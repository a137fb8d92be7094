package dev.zeropool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One shard of the shared tier: per size class a stack of buffers, its eviction state, its counters and
 * its share of the byte budget. Thread-safe: its {@link ShardLock} guards everything. Methods named
 * {@code ...Locked} expect the caller to hold the lock (the {@link SharedTier} composes them, for
 * instance to move a batch from one shard to another under both locks); the others take it themselves.
 *
 * <p>Byte budget: the shard reserves bytes from the pool's {@link ByteBudget} in chunks and keeps the
 * bytes of buffers taken out as credit for the next buffer put in, up to a bound, so a get/put rhythm
 * on one shard does not write the pool-wide counter for every operation. What the shard has reserved
 * is always {@code bytes + credit}; spare credit goes back when the budget runs short
 * ({@link #releaseSpareCredit()}).
 */
final class Shard extends ShardLock {

    /** {@link #offerLocked} outcomes. */
    static final int KEPT = 0;
    static final int FULL = 1;    // the shard's count bound binds and eviction was not allowed
    static final int NO_ROOM = 2; // no budget, and the eviction policy chose to drop the incoming buffer
    static final int CLOSED = 3;

    /** At most this many buffers move to the thief's shard in one steal, besides the one it takes. */
    static final int STEAL_BATCH = 32;

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);

    /**
     * Unused elements at each end of the arrays a get or put served here writes (the counts, and each
     * class's stack and stamps): 128 bytes of ints or compressed references. Where the garbage collector
     * puts an array is up to it, and it may put one next to another shard's, or next to a buffer another
     * thread writes; without this margin a get on one core and a put on another, each on its own shard,
     * can still write one cache line. Element {@code i} of a class's stack is at {@code PAD + i}, and so
     * are the stamps; the count of class {@code c} at {@code PAD + c}. Not padded: the arrays such a get or
     * put only reads (the outer {@code stacks} and {@code stamps}, CLOCK-Pro's reference bits) or writes
     * only now and then ({@code hits} when the class served changes, the misses and evictions), and the
     * end of the shard object, whose counters written on every call lie within 90 bytes of whatever the
     * collector puts after it (another shard's 128 bytes of padding, when it is a shard).
     */
    static final int PAD = 32;
    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
    private static final int[] NO_STAMPS = new int[0];

    private final int index;
    private final int capacity;
    private final ByteBudget budget;
    private final long creditChunk;
    private final Eviction eviction;

    // Guarded by the lock, except that counts[] is also read without it, opaquely, as a hint (mayHold).
    // Each array padded with PAD elements at both ends.
    private final ByteBuffer[][] stacks;
    private final int[][] stamps; // IdleClock stamp of each held buffer
    private final int[] counts;   // of class c at PAD + c: use count(c) and setCount(c, n)
    private final long[] hits;
    private final long[] misses;
    private final long[] evictions;
    private final int[] planned; // evictForLocked's scratch: counts[] less the victims chosen so far
    private int buffers;
    private long bytes;
    private long credit;
    private long kept;
    // Hits of the class served last, not yet added to hits[]: a run of gets of one class (the usual case)
    // then writes only these fields, on the lock word's lines, instead of a hits[] line too.
    private int runClass;
    private long runHits;
    private boolean closed;
    private int victimHint = -1; // the shard this one's threads last stole from, -1 before any steal

    /** Under the lock: the index of the shard a steal for this one last succeeded in, or -1. */
    int victimHintLocked() {
        return victimHint;
    }

    /** Under the lock: remembers where a steal for this shard succeeded. */
    void victimHintLocked(int index) {
        victimHint = index;
    }

    /** A shard that reserves exactly what it holds (no credit kept): for tests of the shard alone. */
    Shard(int index, int capacity, SizeClasses classes, ByteBudget budget, EvictionPolicy policy) {
        this(index, capacity, classes, budget, policy, 0);
    }

    /**
     * @param creditChunk bytes reserved beyond the need when the shard reserves, and kept as credit at
     *     most twice over; 0 reserves and releases exactly per buffer
     */
    Shard(int index, int capacity, SizeClasses classes, ByteBudget budget, EvictionPolicy policy, long creditChunk) {
        this.index = index;
        this.capacity = capacity;
        this.budget = budget;
        this.creditChunk = creditChunk;
        int count = classes.count();
        this.eviction = Eviction.create(policy, count, (int) Math.min(capacity, 1 << 16));
        this.stacks = new ByteBuffer[count][];
        this.stamps = new int[count][];
        this.counts = new int[PAD + count + PAD];
        this.hits = new long[count];
        this.misses = new long[count];
        this.evictions = new long[count];
        this.planned = new int[count];
    }

    /** A racy hint, without the lock: whether the shard may hold a buffer of the class. */
    boolean mayHold(int sizeClass) {
        return (int) COUNTS.getOpaque(counts, PAD + sizeClass) > 0;
    }

    /** Under the lock: how many buffers of the class the shard holds. */
    private int count(int sizeClass) {
        return counts[PAD + sizeClass];
    }

    /** Under the lock: sets the class's count, opaquely, for {@link #mayHold}'s readers. */
    private void setCount(int sizeClass, int count) {
        COUNTS.setOpaque(counts, PAD + sizeClass, count);
    }

    /** A class's stack or stamps grown to hold {@code slots} elements, the held ones in place. */
    private static ByteBuffer[] grown(ByteBuffer[] stack, int slots) {
        return Arrays.copyOf(stack == null ? NO_BUFFERS : stack, PAD + slots + PAD);
    }

    private static int[] grown(int[] stamps, int slots) {
        return Arrays.copyOf(stamps == null ? NO_STAMPS : stamps, PAD + slots + PAD);
    }

    /** How many buffers a class's stack array has room for. */
    private static int slots(ByteBuffer[] stack) {
        return stack == null ? 0 : stack.length - 2 * PAD;
    }

    /** A racy hint, without the lock: whether the count bound leaves room for one more buffer. */
    boolean mayHaveRoom() {
        return buffers < capacity;
    }

    // ---- composed by SharedTier, under the lock ----

    /** Takes a buffer of the class, counting a hit, or returns {@code null}. */
    ByteBuffer popLocked(int sizeClass) {
        int count = count(sizeClass);
        if (count == 0) {
            return null;
        }
        ByteBuffer buffer = removeTopLocked(sizeClass, count);
        countHitLocked(sizeClass);
        eviction.onHit(sizeClass);
        giveCreditLocked(buffer.capacity());
        return buffer;
    }

    private void countHitLocked(int sizeClass) {
        if (sizeClass != runClass) {
            hits[runClass] += runHits;
            runClass = sizeClass;
            runHits = 0;
        }
        runHits++;
    }

    /** Under the lock: the hits of the class, including the current run's. */
    private long hitsLocked(int sizeClass) {
        return hits[sizeClass] + (sizeClass == runClass ? runHits : 0);
    }

    /** A get found no buffer of the class here: the eviction policy learns of the demand. */
    void missedLocked(int sizeClass) {
        eviction.onMiss(sizeClass);
    }

    /**
     * Serves a thread homed on {@code home} (whose lock the caller also holds): takes one buffer of the
     * class for it, counting a hit here, and moves what remains of the class, at most
     * {@link #STEAL_BATCH}, to {@code home}, restamped, so that the thief's next gets find them at home
     * instead of coming back across shards: in a hand-off, producer and consumer then meet once per
     * batch, and each works on its own shard's lines in between. The moved bytes take their reservation
     * along. The batch moves as one block (two array copies), because the owner of this shard, a
     * consumer returning buffers, waits for its lock for as long as the steal takes.
     */
    ByteBuffer stealLocked(int sizeClass, Shard home, int stamp) {
        int count = count(sizeClass);
        if (count == 0) {
            return null;
        }
        ByteBuffer taken = popLocked(sizeClass);
        int batch = home.closed ? 0 : Math.min(Math.min(count - 1, STEAL_BATCH), home.capacity - home.buffers);
        if (batch > 0) {
            int from = count - 1 - batch;
            ByteBuffer[] stack = stacks[sizeClass];
            long movedBytes = (long) batch * stack[PAD + from].capacity(); // a class's buffers all have its capacity
            home.pushAllLocked(sizeClass, stack, PAD + from, batch, movedBytes, stamp);
            Arrays.fill(stack, PAD + from, PAD + from + batch, null);
            setCount(sizeClass, from);
            buffers -= batch;
            bytes -= movedBytes;
        }
        return taken;
    }

    /**
     * Offers a returned buffer. When the count bound or the byte budget binds and {@code mayEvict} is
     * set, the eviction policy decides: evict cold buffers of other classes to make room, or drop the
     * incoming one.
     *
     * @param countAsPut whether this is a caller's {@code put} (counted as kept) rather than a buffer
     *     moved here from a per-thread cache
     * @param evicted    receives each buffer evicted to make room (called under the lock)
     * @return {@link #KEPT}, {@link #FULL}, {@link #NO_ROOM} or {@link #CLOSED}
     */
    int offerLocked(int sizeClass, ByteBuffer buffer, boolean countAsPut, int stamp, boolean mayEvict,
                    Consumer<ByteBuffer> evicted) {
        if (closed) {
            return CLOSED; // a put that raced close(): dropping it keeps "a closed pool holds nothing" true
        }
        int size = buffer.capacity();
        if (buffers == capacity) {
            if (!mayEvict) {
                return FULL;
            }
            if (!evictForLocked(sizeClass, size, true, evicted)) {
                return NO_ROOM;
            }
        } else if (!reserveLocked(sizeClass, size, mayEvict, evicted)) {
            return NO_ROOM;
        }
        pushLocked(sizeClass, buffer, stamp);
        if (countAsPut) {
            kept++;
        }
        return KEPT;
    }

    /**
     * Keeps a buffer whose bytes the caller has already reserved (a thread cache handing over its
     * batch): no budget is touched, the reservation becomes this shard's. Refused when the shard is
     * closed or its count bound is reached; the caller then still holds the reservation.
     *
     * @return {@link #KEPT}, {@link #FULL} or {@link #CLOSED}
     */
    int acceptReservedLocked(int sizeClass, ByteBuffer buffer, int stamp) {
        if (closed) {
            return CLOSED;
        }
        if (buffers == capacity) {
            return FULL;
        }
        pushLocked(sizeClass, buffer, stamp);
        return KEPT;
    }

    /**
     * Reserves {@code size} bytes: from the credit, else from the budget (with a chunk of credit on top
     * when the budget has it), else, if allowed, by evicting ({@link #evictForLocked}).
     */
    private boolean reserveLocked(int sizeClass, int size, boolean mayEvict, Consumer<ByteBuffer> evicted) {
        if (credit >= size) {
            credit -= size;
            return true;
        }
        long need = size - credit;
        if (creditChunk > 0 && budget.tryReserve(need + creditChunk)) {
            credit = creditChunk;
            return true;
        }
        if (budget.tryReserve(need)) {
            credit = 0;
            return true;
        }
        return mayEvict && evictForLocked(sizeClass, size, false, evicted);
    }

    /**
     * Makes room for an incoming buffer of {@code size} bytes of class {@code sizeClass} by evicting the
     * victims the eviction policy picks, and reserves its bytes; with {@code needSlot} (the count bound
     * binds) the first victim also frees the slot. The victims are chosen first and evicted only once the
     * room is certain, so that a put never evicts buffers and is then dropped all the same: nothing is
     * evicted when the policy prefers dropping the incoming buffer before enough victims are chosen
     * (always under LIFO; under CLOCK-Pro when its hand finds the incoming class the coldest), or when
     * evicting every other class could not free the bytes. Choosing still ages the policy's state (its
     * hand moves on and clears reference bits), as a choice followed by an eviction would.
     *
     * <p>Bytes come from the credit, the victims' bytes, and the budget (reserved before anything is
     * evicted; the first try runs the budget's reclaimer, so idle leak spares and other shards' spare
     * credit give way first). Credit left over beyond two chunks goes back to the budget.
     *
     * @return whether the room was made and the bytes reserved
     */
    private boolean evictForLocked(int sizeClass, int size, boolean needSlot, Consumer<ByteBuffer> evicted) {
        int[] left = planned; // counts[] as it will be once the chosen victims are evicted
        System.arraycopy(counts, PAD, left, 0, left.length);
        int chosen = 0;
        long freed = 0; // bytes of the chosen victims
        boolean budgetTried = !needSlot; // below the count bound the caller has tried it, reclaimer included
        boolean roomChecked = false;
        while (true) {
            if (chosen > 0 || !needSlot) {
                long need = size - credit - freed;
                boolean reserved = need <= 0;
                if (!reserved && !budgetTried) {
                    budgetTried = true;
                    reserved = budget.tryReserve(need);
                } else if (!reserved && credit + freed + budget.available() >= size) {
                    reserved = budget.tryReserveNow(need);
                }
                if (reserved) {
                    evictChosenLocked(left, evicted); // their bytes become credit
                    credit += Math.max(0, need) - size;
                    if (credit > 2 * creditChunk) {
                        budget.release(credit - creditChunk);
                        credit = creditChunk;
                    }
                    return true;
                }
                if (!roomChecked) {
                    roomChecked = true;
                    if (!evictionCouldMakeRoom(sizeClass, size)) {
                        return false;
                    }
                }
            }
            int victimClass = eviction.victim(sizeClass, left);
            if (victimClass < 0) {
                if (needSlot && chosen == 0) {
                    evictions[sizeClass]++; // the policy refused the incoming buffer a slot
                }
                return false;
            }
            left[victimClass]--;
            chosen++;
            freed += stacks[victimClass][PAD].capacity(); // a class's buffers all have its capacity
        }
    }

    /**
     * Whether evicting every class but the incoming buffer's (which the policy never evicts for it) could
     * free room for {@code size} bytes, with the credit and what the budget has left.
     */
    private boolean evictionCouldMakeRoom(int sizeClass, int size) {
        long evictable = bytes - (long) count(sizeClass) * size;
        return evictable + credit + budget.available() >= size;
    }

    /** Evicts, from the top of each class's stack, the victims {@link #evictForLocked} chose. */
    private void evictChosenLocked(int[] left, Consumer<ByteBuffer> evicted) {
        for (int c = 0; c < left.length; c++) {
            while (count(c) > left[c]) {
                evictLocked(c, evicted);
            }
        }
    }

    /** The bytes of a buffer that left become credit; credit past two chunks goes back to the budget. */
    private void giveCreditLocked(int size) {
        credit += size;
        if (credit > 2 * creditChunk) {
            budget.release(credit - creditChunk);
            credit = creditChunk;
        }
    }

    private void evictLocked(int victimClass, Consumer<ByteBuffer> evicted) {
        ByteBuffer victim = removeTopLocked(victimClass, count(victimClass));
        evictions[victimClass]++;
        eviction.onEvicted(victimClass);
        credit += victim.capacity(); // reserved bytes: the incoming buffer takes them, or they go back
        evicted.accept(victim);
    }

    /** Under the lock: whether this very buffer is the class's last kept, on top of its stack. */
    boolean holdsOnTopLocked(int sizeClass, ByteBuffer buffer) {
        int count = count(sizeClass);
        return count > 0 && stacks[sizeClass][PAD + count - 1] == buffer;
    }

    private ByteBuffer removeTopLocked(int sizeClass, int count) {
        ByteBuffer[] stack = stacks[sizeClass];
        ByteBuffer buffer = stack[PAD + --count];
        stack[PAD + count] = null;
        setCount(sizeClass, count);
        buffers--;
        bytes -= buffer.capacity();
        return buffer;
    }

    private void pushLocked(int sizeClass, ByteBuffer buffer, int stamp) {
        ByteBuffer[] stack = stacks[sizeClass];
        int count = count(sizeClass);
        if (count == slots(stack)) {
            int slots = (int) Math.min(capacity, Math.max(4L, count * 2L));
            stack = grown(stack, slots);
            stacks[sizeClass] = stack;
            stamps[sizeClass] = grown(stamps[sizeClass], slots);
        }
        stack[PAD + count] = buffer;
        int[] classStamps = stamps[sizeClass];
        if (classStamps[PAD + count] != stamp) {
            // Read before writing: a get/put rhythm at one depth finds the same stamp there until the next
            // trim, and not writing it keeps the line clean for the other cores that use this shard.
            classStamps[PAD + count] = stamp;
        }
        setCount(sizeClass, count + 1);
        buffers++;
        bytes += buffer.capacity();
    }

    /**
     * Pushes {@code n} buffers of the class, {@code source[from, from + n)} (array indexes, padding
     * included), all with one stamp. The caller has checked the count bound.
     */
    private void pushAllLocked(int sizeClass, ByteBuffer[] source, int from, int n, long movedBytes, int stamp) {
        int count = count(sizeClass);
        ByteBuffer[] stack = stacks[sizeClass];
        if (count + n > slots(stack)) {
            int slots = (int) Math.min(capacity, Math.max(4L, Math.max(count * 2L, count + (long) n)));
            stack = grown(stack, slots);
            stacks[sizeClass] = stack;
            stamps[sizeClass] = grown(stamps[sizeClass], slots);
        }
        System.arraycopy(source, from, stack, PAD + count, n);
        Arrays.fill(stamps[sizeClass], PAD + count, PAD + count + n, stamp);
        setCount(sizeClass, count + n);
        buffers += n;
        bytes += movedBytes;
    }

    /** Whether this shard holds this very buffer (identity). Bounded by what the shard holds of the class. */
    boolean holdsLocked(int sizeClass, ByteBuffer buffer) {
        ByteBuffer[] stack = stacks[sizeClass];
        for (int i = count(sizeClass) - 1; i >= 0; i--) {
            if (stack[PAD + i] == buffer) {
                return true;
            }
        }
        return false;
    }

    // ---- self-locking operations ----

    /** Takes a buffer of the class, counting a hit, or tells the eviction policy of the demand. */
    ByteBuffer take(int sizeClass) {
        lock();
        try {
            ByteBuffer buffer = popLocked(sizeClass);
            if (buffer == null) {
                missedLocked(sizeClass);
            }
            return buffer;
        } finally {
            unlock();
        }
    }

    /** Like {@link #take} but gives up at once if the lock is busy or the hint says the class is empty. */
    ByteBuffer tryTake(int sizeClass) {
        if (!mayHold(sizeClass) || !tryLock()) {
            return null;
        }
        try {
            return popLocked(sizeClass);
        } finally {
            unlock();
        }
    }

    /** {@link #offerLocked} with eviction allowed, under the lock. @return whether the buffer was kept */
    boolean offer(int sizeClass, ByteBuffer buffer, boolean countAsPut, int stamp, Consumer<ByteBuffer> evicted) {
        lock();
        try {
            return offerLocked(sizeClass, buffer, countAsPut, stamp, true, evicted) == KEPT;
        } finally {
            unlock();
        }
    }

    void recordMiss(int sizeClass) {
        lock();
        try {
            misses[sizeClass]++;
        } finally {
            unlock();
        }
    }

    /**
     * Gives the credit this shard keeps back to the budget, if the lock is free at once: called when a
     * reservation fails, so that bytes reserved but backing no buffer do not make a put drop.
     */
    void releaseSpareCredit() {
        if (!tryLock()) {
            return;
        }
        try {
            budget.release(credit);
            credit = 0;
        } finally {
            unlock();
        }
    }

    /**
     * Removes the buffers idle past the timeout, oldest first within each class (they sit at the
     * bottom of its stack), and releases their bytes.
     *
     * @return the removed buffers, for the caller to release
     */
    List<ByteBuffer> trim(IdleClock clock, int currentTrim) {
        lock();
        try {
            List<ByteBuffer> removed = new ArrayList<>();
            for (int c = 0; c < stacks.length; c++) {
                int count = count(c);
                int expired = 0;
                while (expired < count && clock.expired(stamps[c][PAD + expired], currentTrim)) {
                    expired++; // stamps grow towards the top, so the expired ones are a prefix
                }
                if (expired == 0) {
                    continue;
                }
                ByteBuffer[] stack = stacks[c];
                long removedBytes = 0;
                for (int i = PAD; i < PAD + expired; i++) {
                    removed.add(stack[i]);
                    removedBytes += stack[i].capacity();
                }
                System.arraycopy(stack, PAD + expired, stack, PAD, count - expired);
                System.arraycopy(stamps[c], PAD + expired, stamps[c], PAD, count - expired);
                Arrays.fill(stack, PAD + count - expired, PAD + count, null);
                setCount(c, count - expired);
                buffers -= expired;
                bytes -= removedBytes;
                budget.release(removedBytes);
            }
            budget.release(credit); // credit is for bursts; between trims a shard earns it back
            credit = 0;
            return removed;
        } finally {
            unlock();
        }
    }

    /** Empties the shard for good: later offers are refused. @return what it held */
    List<ByteBuffer> close() {
        lock();
        try {
            closed = true;
            return drainLocked();
        } finally {
            unlock();
        }
    }

    /** Under the lock: empties the shard, releasing its bytes and credit, and returns what it held. */
    List<ByteBuffer> drainLocked() {
        List<ByteBuffer> drained = new ArrayList<>(buffers);
        for (int c = 0; c < stacks.length; c++) {
            for (int i = PAD; i < PAD + count(c); i++) {
                drained.add(stacks[c][i]);
                stacks[c][i] = null;
            }
            setCount(c, 0);
        }
        budget.release(bytes + credit);
        buffers = 0;
        bytes = 0;
        credit = 0;
        return drained;
    }

    /** Reserved bytes this shard keeps beyond what it holds (for tests and diagnostics). */
    long credit() {
        lock();
        try {
            return credit;
        } finally {
            unlock();
        }
    }

    ShardStats stats() {
        lock();
        try {
            return statsLocked();
        } finally {
            unlock();
        }
    }

    ShardStats statsLocked() {
        return new ShardStats(index, buffers, bytes, capacity, sum(hits) + runHits, sum(misses), sum(evictions));
    }

    /** Adds this shard's per-class figures into the accumulators. @return its kept puts */
    long addClassStatsLocked(long[] pooled, long[] hitsOut, long[] missesOut, long[] evictionsOut) {
        for (int c = 0; c < stacks.length; c++) {
            pooled[c] += count(c);
            hitsOut[c] += hitsLocked(c);
            missesOut[c] += misses[c];
            evictionsOut[c] += evictions[c];
        }
        return kept;
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }
}
