package dev.zeropool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One platform thread's cache for one pool: per size class a small stack, at most {@code maxBuffers}
 * buffers in all.
 *
 * <p>Threading: only the owner thread mutates it ({@link #pop}, {@link #push}), with plain reads and
 * single-writer opaque stores, no lock and no read-modify-write. Other threads read its counters for
 * statistics with opaque loads (never torn, eventually current). Three cases hand the cache to another
 * thread:
 * <ul>
 *   <li>the owner has ended ({@link Thread#isAlive()} returning false happens-after its last action):
 *       the pool reclaims it whole;
 *   <li>{@link #revokeOnClose}: {@code close()} takes it back as a revoking trim does (below), whatever the
 *       owner is doing, and drops what it held; the owner's next call drops what it brings;
 *   <li>{@link #revokeIfIdle}: a trim takes back the cache of an owner that has made no call for a
 *       whole trim interval. The owner holds a <em>lease</em>, the number of the last trim it has seen;
 *       at its first call after each trim it renews the lease with one compare-and-set, and a trim
 *       revokes a lease that is at least two trims old with a compare-and-set too, so exactly one of them
 *       wins. The hit path itself never touches the lease. A revoked cache is only emptied, never served
 *       from: its buffers are dropped, not handed to anyone, so even an owner stalled in the middle of a
 *       call for a whole trim interval (the one case the lease cannot see) cannot cause a buffer to have
 *       two holders; it finds the lease gone at its next call and starts a new cache. A put stalled that
 *       way may store its buffer after the revoking trim emptied the slots: {@link #takeStragglers} takes
 *       it out again, at the owner's next call (which moves it to the shards), at the next trim or once
 *       the owner has ended, so that it is not stranded in a cache nobody reads (with pinning, locked for
 *       good).
 * </ul>
 * Everything that empties slots off the owner's hit path ({@link #revokeIfIdle}, {@link #revokeOnClose},
 * {@link #takeStragglers}, {@link #drain}) takes each slot with an atomic get-and-set, so that two of them
 * racing (a trim and the sweep of an ended thread, say) never both take one buffer.
 *
 * <p>Byte budget: the cache reserves bytes from the pool's {@link ByteBudget} before it keeps a buffer,
 * as <em>room</em>: a slot of a size class whose bytes are reserved. When a buffer leaves, its slot stays
 * reserved for the next buffer of the class instead of its bytes going back. So a steady get/put rhythm
 * never touches the shared budget, and a put whose class has room does no arithmetic on bytes at all: it
 * compares the class's count with its room. Room of one class is turned into another's, through the
 * cache's credit (bytes reserved for no slot), when the cache has no slot left to reserve. A thread that
 * only returns buffers (a hand-off's consumer) has no such room: once it holds a buffer of a class it
 * has never served a get of, it reserves ahead, up to {@value #RESERVE_AHEAD} more slots (no more than its
 * free slots and the pool's credit chunk, and only while a quarter of the budget stays free), so that it
 * touches the shared counter once or twice per cache-full of puts rather than on each. Room and credit held
 * here are out of the reclaimer's reach, so what a cache reserves never exceeds what it can hold, and the
 * unused part goes back at the owner's next trim, all of it when the cache is revoked. {@code reserved}
 * (what the cache has reserved in all) changes only on those rare reservations, which the owner makes
 * while its lease reads {@code BUSY}, so a revoking trim always releases exactly what is reserved.
 */
final class ThreadCache {

    /** Buffers' worth of bytes a reservation takes beyond the one it is for (bounded, see the class comment). */
    static final int RESERVE_AHEAD = 7;

    /** The lease of a cache a trim took back. */
    static final int REVOKED = -1;
    private static final int BUSY = -2;
    /** {@link #fastGate} while a leak sample waits for a get: no stamp (stamps are never negative). */
    private static final int DIVERTED = -3;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ByteBuffer[].class);
    private static final VarHandle KEPT;
    private static final VarHandle LEASE;
    private static final VarHandle COUNT;
    private static final VarHandle HITS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            KEPT = lookup.findVarHandle(ThreadCache.class, "kept", long.class);
            LEASE = lookup.findVarHandle(ThreadCache.class, "lease", int.class);
            COUNT = lookup.findVarHandle(ClassStack.class, "count", int.class);
            HITS = lookup.findVarHandle(ClassStack.class, "hits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private final int homeShard;
    private final int maxBuffers;
    private final long creditChunk;   // at most this many bytes reserved ahead
    private final ClassStack[] byClass; // created at a class's first push; owner writes, readers see it or null
    private final ByteBuffer[] batch; // owner only: a class's buffers on their way to the shared tier
    private int rooms;                // owner only: the classes' rooms added up, at most maxBuffers
    private long credit;              // owner only: reserved bytes that are no class's room
    private long reserved;            // see the class comment: credit plus every room's bytes
    private long kept;                // owner writes opaque, readers load opaque
    private int trimSeen;             // owner only: the trim this cache's lease was last renewed at
    private int fastGate;             // owner only: trimSeen, or DIVERTED while a leak sample waits for a get
    private final int leakSampleSpread; // gets a due leak sample is spread over, at random
    private long missedGets;          // owner only: gets this cache could not serve
    private long leakSampleAt = Long.MAX_VALUE; // owner only: the leak clock's reading that makes a get due
    private int getsToSample;         // owner only, while DIVERTED: gets left until the sampled one
    @SuppressWarnings("unused")       // through LEASE
    private volatile int lease;

    /**
     * @param creditChunk the most bytes a reservation takes beyond the buffer it is for; 0 reserves
     *     exactly per buffer
     * @param leakSampleSpread over how many gets, from the one that finds it due, a leak sample falls at
     *     random (see {@link #leakSampleDue}); 1 samples that very get
     */
    ThreadCache(Thread owner, int homeShard, int maxBuffers, int sizeClasses, int currentTrim, long creditChunk,
                int leakSampleSpread) {
        this.owner = owner;
        this.homeShard = homeShard;
        this.maxBuffers = maxBuffers;
        this.creditChunk = creditChunk;
        this.byClass = new ClassStack[sizeClasses];
        this.batch = new ByteBuffer[maxBuffers + 1];
        this.trimSeen = currentTrim;
        this.fastGate = currentTrim;
        this.leakSampleSpread = leakSampleSpread;
        this.lease = currentTrim;
    }

    int homeShard() {
        return homeShard;
    }

    Thread owner() {
        return owner;
    }

    boolean ownerEnded() {
        return !owner.isAlive();
    }

    /**
     * Owner only. Whether a get may take the pool's fast path: the lease is still at {@code currentTrim},
     * and no leak sample waits for a get. The check of every get ({@code put} checks the lease alone).
     * Never true for {@link IdleClock#CLOSED}: a lease is only taken or renewed at the stamp of an open
     * pool, so this one comparison also sends every get on a closed pool to the slow path.
     */
    boolean fastPathOpen(int currentTrim) {
        return fastGate == currentTrim;
    }

    /**
     * Owner only. Whether the lease is still at {@code currentTrim}: if not, the call renews it. The
     * check of every {@code put}, and never true for {@link IdleClock#CLOSED} either.
     */
    boolean leaseCurrent(int currentTrim) {
        return trimSeen == currentTrim;
    }

    /**
     * Owner only, at its first call after a trim. @return whether the lease was renewed; {@code false}
     * means a trim took this cache back, and the owner must start a new one
     */
    boolean renewLease(int currentTrim) {
        if (!LEASE.compareAndSet(this, trimSeen, currentTrim)) {
            return false;
        }
        trimSeen = currentTrim;
        if (fastGate != DIVERTED) {
            fastGate = currentTrim;
        }
        return true;
    }

    boolean revoked() {
        return (int) LEASE.getVolatile(this) == REVOKED;
    }

    /** Owner only. A cached buffer of the class, or {@code null}. Counts the hit. */
    ByteBuffer pop(int sizeClass) {
        ClassStack stack = byClass[sizeClass];
        int count = stack == null ? 0 : stack.count; // read once: a revoking trim may zero it meanwhile
        if (count == 0) {
            return null;
        }
        count--;
        ByteBuffer[] slots = stack.slots;
        ByteBuffer buffer = slots[count];
        slots[count] = null;
        COUNT.setOpaque(stack, count);
        if (buffer == null) {
            return null; // cleared by close() or a revoking trim racing this call: nothing to serve
        }
        HITS.setOpaque(stack, stack.hits + 1);
        return buffer; // its slot stays the class's room, for the put that brings it (or another) back
    }

    /**
     * Owner only: whether {@code buffer} is the class's most recently kept buffer, so that a put of it is a
     * second put whatever state its holder left it in. One read of a slot the push beside it writes anyway.
     */
    boolean holdsOnTop(int sizeClass, ByteBuffer buffer) {
        ClassStack stack = byClass[sizeClass];
        int count;
        return stack != null && (count = stack.count) > 0 && stack.slots[count - 1] == buffer;
    }

    /** Owner only. Keeps the buffer if there is room and budget; counts it as a kept put. */
    boolean push(int sizeClass, ByteBuffer buffer, ByteBudget budget, int stamp) {
        ClassStack stack = byClass[sizeClass];
        int count;
        if (stack == null || (count = stack.count) >= stack.room) {
            stack = makeRoom(sizeClass, buffer.capacity(), budget);
            if (stack == null) {
                return false;
            }
            count = stack.count;
        }
        stack.slots[count] = buffer;
        stack.lastReturn = stamp;
        COUNT.setOpaque(stack, count + 1);
        KEPT.setOpaque(this, kept + 1);
        return true;
    }

    /**
     * Owner only, when a put finds its class without room: reserves one more slot for the class (and,
     * for a cache that only returns the class, {@linkplain #ahead several}), from the credit, else from
     * the budget. When every slot the cache may have is some class's room, it first takes back the
     * unused room of other classes, as credit.
     *
     * @return the class's stack with room for one more buffer, or {@code null} if the cache is full
     *     (every slot holds a buffer), the budget has no room, or the cache was revoked
     */
    private ClassStack makeRoom(int sizeClass, int size, ByteBudget budget) {
        ClassStack stack = byClass[sizeClass];
        if (stack == null) {
            stack = new ClassStack(maxBuffers, size);
            byClass[sizeClass] = stack; // its final slots make it safe to read on any thread
        }
        if (rooms >= maxBuffers && !takeBackUnusedRoom()) {
            return null;
        }
        int slots = 1;
        if (credit >= size) {
            credit -= size;
        } else {
            long granted = reserve(size - credit, ahead(stack, size), budget);
            if (granted == 0) {
                return null;
            }
            credit += granted - size;
            // what was reserved ahead becomes room at once, so the puts it is for stay on the fast path
            slots += (int) Math.min(credit / size, maxBuffers - rooms - 1);
            credit -= (long) (slots - 1) * size;
        }
        stack.room += slots;
        rooms += slots;
        return stack;
    }

    /** Owner only: turns every class's room that holds no buffer into credit. @return whether any was */
    private boolean takeBackUnusedRoom() {
        int before = rooms;
        for (ClassStack stack : byClass) {
            if (stack != null && stack.room > stack.count) {
                int unused = stack.room - stack.count;
                credit += (long) unused * stack.capacity;
                stack.room -= unused;
                rooms -= unused;
            }
        }
        return rooms < before;
    }

    /**
     * Owner only, when a put of this class found no room here: takes every cached buffer of the class
     * out, into {@link #batch()} from index 0, so that they go to the shared tier together with the
     * incoming one, under one lock. A thread that only returns buffers (the consumer of a hand-off) so
     * hands them over in batches of {@code maxBuffers + 1}, and the thread that takes them steals a whole
     * batch at a time; a thread cycling through more classes than its cache holds loses nothing, since
     * only the class that overflowed leaves. Their reservation leaves with them (the shard takes it
     * over), so the budget they held is not stranded here as credit.
     *
     * @return how many buffers were taken out, each still reserved
     */
    int takeClassOut(int sizeClass) {
        ClassStack stack = byClass[sizeClass];
        if (stack == null || stack.count == 0 || !LEASE.compareAndSet(this, trimSeen, BUSY)) {
            return 0; // nothing to take, or revoked: the owner starts a new cache at its next call
        }
        try {
            int count = stack.count;
            int taken = 0;
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                ByteBuffer buffer = stack.slots[i];
                if (buffer != null) {
                    stack.slots[i] = null;
                    batch[taken++] = buffer;
                    bytes += buffer.capacity();
                }
            }
            COUNT.setOpaque(stack, 0);
            stack.room -= taken; // their reservation leaves with them
            rooms -= taken;
            reserved -= bytes;
            return taken;
        } finally {
            LEASE.setRelease(this, trimSeen);
        }
    }

    /** Owner only: the array {@link #takeClassOut} fills, with one spare slot; clear it after use. */
    ByteBuffer[] batch() {
        return batch;
    }

    /**
     * Owner only: the bytes to reserve ahead of a push of {@code size}: whole buffers' worth, as many as the
     * cache has room for, up to {@link #RESERVE_AHEAD} and the credit chunk; none unless this cache only
     * returns buffers of the class (it already holds one and has never served a get of the class). Room
     * in a cache is out of reach of the budget's reclaimer, so a thread that also takes buffers, whose
     * gets leave their slots reserved anyway, must not hoard more.
     */
    private long ahead(ClassStack stack, int size) {
        if (stack.count == 0 || stack.hits != 0) {
            return 0;
        }
        long buffersAhead = Math.min(Math.min(RESERVE_AHEAD, maxBuffers - rooms - 1), creditChunk / size);
        return buffersAhead * size;
    }

    /**
     * Owner only: reserves {@code need} bytes from the budget, and {@code ahead} more if the budget has them
     * at once, while holding the lease as BUSY.
     *
     * @return the bytes reserved, 0 if not even {@code need} (or the cache was revoked)
     */
    private long reserve(long need, long ahead, ByteBudget budget) {
        if (!LEASE.compareAndSet(this, trimSeen, BUSY)) {
            return 0; // revoked: the owner starts a new cache at its next call
        }
        try {
            long granted = ahead > 0 && budget.tryReserveSpare(need + ahead) ? need + ahead
                    : budget.tryReserve(need) ? need : 0;
            reserved += granted;
            return granted;
        } finally {
            LEASE.setRelease(this, trimSeen);
        }
    }

    /** Owner only. Whether this very buffer is cached here. Bounded by {@code maxBuffers}. */
    boolean holds(int sizeClass, ByteBuffer buffer) {
        ClassStack stack = byClass[sizeClass];
        for (int i = stack == null ? -1 : stack.count - 1; i >= 0; i--) {
            if (stack.slots[i] == buffer) {
                return true;
            }
        }
        return false;
    }

    /**
     * Owner only, once per get that leaves the pool's inlined fast path: says whether to sample it. When
     * it returns {@code true} the caller samples the get and re-arms with {@link #untilLeakSample}.
     *
     * <p>Leak sampling's clock counts the puts this cache keeps and the gets it cannot serve: about one
     * tick per get, for nothing on the hit path, where the kept count is written anyway. A sample falls
     * due after the armed number of ticks and is found off the fast path: by a get this cache cannot
     * serve, or by {@link #divertIfLeakSampleDue} at a put past the cache or the first call after a trim.
     * What finds it does not always take it: it picks that get or one of the next
     * {@code leakSampleSpread - 1} at random, and closes the fast path ({@link #fastPathOpen}) so that
     * gets come here until the chosen one. Why both: sampling on the hit path, even once in thousands, is
     * a call there, and a call the hit path takes at all makes the JIT keep a caller's loop values on the
     * stack; and sampling only the gets the cache cannot serve would miss a leaking get that the cache
     * always serves (a leak leaves the cache short, and in a fixed rhythm the get that then goes past it
     * may always be another one).
     *
     * @param missed whether the cache could not serve this get (a get the cache serves off the fast path,
     *     on a diverted or STRICT thread, ticks nothing and finds nothing due, as on the fast path)
     */
    boolean leakSampleDue(boolean missed) {
        if (missed) {
            missedGets++;
        }
        if (fastGate == DIVERTED) {
            if (--getsToSample > 0) {
                return false;
            }
            fastGate = trimSeen;
            return true;
        }
        return missed && leakClockDue(0);
    }

    /**
     * Owner only, off the fast path at a call that is not a get this cache missed (a put past the cache,
     * the first call after a trim): if a sample is due, one of the next {@code leakSampleSpread} gets is
     * sampled. So a thread whose cache never runs short (one that returns as many buffers as it takes
     * and leaks, others' buffers among them) still has its samples found, at those calls.
     */
    void divertIfLeakSampleDue() {
        if (fastGate != DIVERTED) {
            leakClockDue(1);
        }
    }

    /** Whether the clock is due and the get at {@code offset} (0: this one) drew the sample; else diverts. */
    private boolean leakClockDue(int offset) {
        if (kept + missedGets < leakSampleAt) {
            return false;
        }
        int chosen = offset + (leakSampleSpread <= 1 ? 0 : ThreadLocalRandom.current().nextInt(leakSampleSpread));
        if (chosen == 0) {
            return true;
        }
        sampleGetAfter(chosen - 1);
        return false;
    }

    /**
     * Owner only: the get after the next {@code gets} is sampled (0: the next one), wherever it is
     * served; until then this thread's gets take the slow path.
     */
    void sampleGetAfter(int gets) {
        getsToSample = gets + 1;
        fastGate = DIVERTED;
    }

    /** Owner only: ticks of the leak clock until a sample is due (at least 1); drops one waiting for a get. */
    void untilLeakSample(int ticks) {
        leakSampleAt = kept + missedGets + ticks;
        fastGate = trimSeen;
    }

    /**
     * Owner only, after renewing its lease at a new trim. Drops every size class that has received no
     * buffer for the idle timeout (a class's buffers are at most {@code maxBuffers}, and one stamp per
     * class keeps the hit path to a single store), and gives their bytes back to the budget, with the
     * room of every class that holds no buffer in it (the bytes of buffers now out on loan) and the credit.
     *
     * @return the removed buffers, for the caller to release
     */
    List<ByteBuffer> trim(IdleClock clock, int currentTrim, ByteBudget budget) {
        List<ByteBuffer> removed = new ArrayList<>();
        for (ClassStack stack : byClass) {
            if (stack == null || stack.count == 0 || !clock.expired(stack.lastReturn, currentTrim)) {
                continue;
            }
            int count = stack.count;
            for (int i = 0; i < count; i++) {
                ByteBuffer buffer = stack.slots[i]; // read once: close() may clear slots concurrently
                if (buffer != null) {
                    removed.add(buffer);
                    stack.slots[i] = null;
                }
            }
            COUNT.setOpaque(stack, 0);
        }
        takeBackUnusedRoom(); // the emptied classes' room too
        long released = credit;
        if (released > 0 && LEASE.compareAndSet(this, trimSeen, BUSY)) {
            budget.release(released);
            reserved -= released;
            credit = 0;
            LEASE.setRelease(this, trimSeen);
        }
        return removed;
    }

    /**
     * A trim, on any thread: takes the cache back if its owner has made no call since two trims ago and
     * idle time is up. Drops (returns, for the caller to release) every buffer it held and gives all its
     * reserved bytes back. See the class comment for why this is safe without the owner's help. On a
     * cache an earlier trim revoked, and whose owner has not called since, it takes out what a stalled
     * put stored after that revocation ({@link #takeStragglers}), with no bytes to give back.
     *
     * @return the buffers taken back; empty if the owner is active or nothing was left to take
     */
    List<ByteBuffer> revokeIfIdle(IdleClock clock, int currentTrim, ByteBudget budget) {
        int seen = (int) LEASE.getVolatile(this);
        if (seen == REVOKED) {
            return takeStragglers(); // taken back earlier, and its owner has not called since
        }
        if (seen < 0 || IdleClock.trimsBetween(seen, currentTrim) < 2 || !clock.idleSince(seen, currentTrim)) {
            return List.of();
        }
        return revoke(seen, budget);
    }

    /**
     * {@code close()}, on any thread: takes the cache back whatever its owner is doing, as a revoking
     * trim does (the owner finds the lease gone at its next call, where a closed pool drops what it
     * brings), so that a closed pool keeps no live thread's reservation. If the owner is reserving at
     * this instant (its lease reads busy), only the slots are emptied: its next call gives the bytes back
     * ({@link #takeBack}). On a cache already taken back, takes the stragglers.
     *
     * @return the buffers taken out, for the caller to release
     */
    List<ByteBuffer> revokeOnClose(ByteBudget budget) {
        int seen = (int) LEASE.getVolatile(this);
        if (seen == REVOKED) {
            return takeStragglers();
        }
        List<ByteBuffer> revoked = seen < 0 ? List.of() : revoke(seen, budget);
        if (!revoked.isEmpty() || revoked()) {
            return revoked;
        }
        List<ByteBuffer> emptied = new ArrayList<>(); // busy, or the lease moved on: slots only
        clearSlots(emptied::add);
        return emptied;
    }

    /** Revokes a lease read as {@code seen}: empties the cache and gives all its bytes back, if the CAS wins. */
    private List<ByteBuffer> revoke(int seen, ByteBudget budget) {
        if (!LEASE.compareAndSet(this, seen, REVOKED)) {
            return List.of();
        }
        List<ByteBuffer> removed = new ArrayList<>();
        clearSlots(removed::add);
        budget.release(reserved); // the owner's last change to it was published by its lease release
        reserved = 0;
        return removed;
    }

    /**
     * Takes the cache back whole and empties it ({@link #drain}), unless a trim or {@code close()} took it
     * first and gave everything back itself: by the owner, off its hit path (its first call after
     * {@code close()}), or by anyone once the owner has ended. The lease decides who does: two of them
     * reading the same reserved bytes would release them twice, and the budget would then let the pool
     * hold more than its bound.
     *
     * <p>If it was taken back before, the owner's last put may still have stored a buffer after the slots
     * were emptied ({@link #takeStragglers}): that one is returned, its bytes not reserved.
     *
     * @return the buffers it held, their bytes released from the budget
     */
    List<ByteBuffer> takeBack(ByteBudget budget) {
        int seen = (int) LEASE.getVolatile(this);
        if (seen == REVOKED) {
            return takeStragglers(); // the owner is the caller, or has ended: nothing lands here after this
        }
        if (seen < 0 || !LEASE.compareAndSet(this, seen, REVOKED)) {
            return List.of();
        }
        return drain(budget);
    }

    /**
     * Any thread, once the cache is revoked: takes out the buffers stored in it after the revoking trim
     * emptied it. Only an owner stalled inside a put across the whole revocation (past its lease check,
     * before its store) leaves one; the trim released the bytes of every slot, so these hold no
     * reservation. Each goes to exactly one caller, however many race (see the class comment).
     *
     * @return the buffers found, usually none; empty if the cache is not revoked
     */
    List<ByteBuffer> takeStragglers() {
        if (!revoked()) {
            return List.of();
        }
        List<ByteBuffer> found = new ArrayList<>(0);
        clearSlots(found::add);
        return found;
    }

    /**
     * For {@link #takeBack}, which has won the lease: empties the cache, gives all its reserved bytes back
     * to the budget and returns the buffers it held, in class order. Slots are taken atomically, as
     * everywhere but on the owner's hit path: a trim or {@code close()} that finds the cache revoked
     * ({@link #takeStragglers}) may be emptying it at the same time.
     */
    private List<ByteBuffer> drain(ByteBudget budget) {
        List<ByteBuffer> drained = new ArrayList<>(rooms);
        for (ClassStack stack : byClass) {
            if (stack != null) {
                stack.room = 0;
            }
        }
        clearSlots(drained::add);
        budget.release(reserved);
        reserved = 0;
        rooms = 0;
        credit = 0;
        return drained;
    }

    private void clearSlots(Consumer<ByteBuffer> release) {
        for (ClassStack stack : byClass) {
            if (stack == null) {
                continue;
            }
            ByteBuffer[] slots = stack.slots;
            for (int i = 0; i < slots.length; i++) { // every slot: the owner's count may be stale here
                ByteBuffer buffer;
                // read first, so that empty slots are not written; then taken atomically (class comment)
                if (slots[i] != null && (buffer = (ByteBuffer) SLOT.getAndSet(slots, i, null)) != null) {
                    release.accept(buffer);
                }
            }
            COUNT.setOpaque(stack, 0);
        }
    }

    // Readers from any thread: opaque loads of single-writer fields.

    long kept() {
        return (long) KEPT.getOpaque(this);
    }

    /** Adds this cache's per-class buffer counts (none once revoked) and hits into the accumulators. */
    void addClassStats(long[] pooled, long[] tlsHits) {
        boolean revoked = revoked();
        for (int c = 0; c < byClass.length; c++) {
            ClassStack stack = byClass[c];
            if (stack == null) {
                continue;
            }
            if (!revoked) {
                pooled[c] += (int) COUNT.getOpaque(stack);
            }
            tlsHits[c] += (long) HITS.getOpaque(stack);
        }
    }

    /**
     * One size class's buffers in a thread cache, in one object so that the hit path indexes one array
     * and bounds-checks once: a stack of at most {@code maxBuffers}, its room, its hits and its latest
     * push. The owner writes it; other threads read {@code count} and {@code hits} opaquely (single-writer,
     * so never torn) and see {@code slots} whole, being final, wherever they found the object.
     */
    static final class ClassStack {
        final ByteBuffer[] slots;
        final int capacity; // of the class's buffers, in bytes
        int count;          // owner writes opaque, readers load opaque
        int room;           // owner only: slots whose bytes the cache has reserved, count <= room
        long hits;          // owner writes opaque, readers load opaque
        int lastReturn;     // owner only: IdleClock stamp of the class's latest push

        ClassStack(int slots, int capacity) {
            this.slots = new ByteBuffer[slots];
            this.capacity = capacity;
        }
    }
}
