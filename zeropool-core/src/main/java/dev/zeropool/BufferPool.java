package dev.zeropool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A bounded pool of {@link ByteBuffer}s whose {@link #get(int)} and {@link #put(ByteBuffer)} cost a few
 * nanoseconds at any size, from any number of threads.
 *
 * <pre>{@code
 * try (BufferPool pool = new BufferPool()) {            // defaults derived from the CPU count
 *     try (BufferLease lease = pool.lease(64 * 1024)) { // position 0, limit 65536, BIG_ENDIAN
 *         channel.read(lease.buffer());
 *     }                                                 // handed back here; do not touch it afterwards
 *
 *     ByteBuffer buffer = pool.get(64 * 1024);         // the same, where a lease does not fit
 *     try {
 *         channel.read(buffer);
 *     } finally {
 *         pool.put(buffer);
 *     }
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * A request is rounded up to a size class (four per doubling, so at most 25% larger than asked).
 * {@code get} first looks in the calling platform thread's own small cache (no lock, no atomic
 * instruction), then in the shared tier: the thread's home shard (a one-CAS lock; the least loaded shard
 * when a platform thread first calls, or a hash of the thread's id for a virtual thread or with
 * thread caches off), then every other shard that holds the
 * class, taking a batch from it back home;
 * only when no shard holds the class does it allocate. {@code put} keeps the buffer in the thread's cache
 * if it has room, else in the home shard: the byte budget, not a count, is the bound. Virtual threads
 * have no cache of their own (a million of them must not mean a million caches): they use the shards
 * directly. A thread that stops calling the pool has its cache taken back by {@link #trim()}.
 *
 * <h2>Ownership</h2>
 * A buffer returned by {@code get} belongs to the caller until it passes it to {@code put}; from then on
 * it belongs to the pool and the caller must not read, write or keep it. The pool never hands one buffer
 * to two holders. Content is not cleared: a reused buffer holds what its last holder wrote.
 *
 * <h2>Memory</h2>
 * The bytes the pool holds (shards and all thread caches together) never exceed
 * {@link PoolConfig#maxPooledBytes()}. Buffers the pool stops holding (dropped on {@code put}, evicted,
 * trimmed, or held at {@code close}) are unpinned if pinned and left to the garbage collector. The pool
 * never frees memory itself: it cannot know that no caller still holds a stale reference, and freeing
 * early would turn such a use-after-put into native memory corruption.
 *
 * <h2>Misuse</h2>
 * Constant-time checks on the hit path, always on (after {@code close()} too): {@code get} of a negative
 * size, {@code put} of {@code null}, of the wrong kind (heap into a direct pool or the reverse), of a
 * read-only buffer, of a capacity that is no size class; and, under the default {@link Validation#FAST}
 * (not under {@link Validation#OFF}), a buffer put twice by the same thread while the pool still holds
 * it. Each throws with a message naming the value and what is allowed, and leaves the pool usable; a
 * refused {@code put} counts in {@link PoolStats#rejected()} (a refused {@code get} is no get, and is
 * not counted).
 *
 * <p>Thread-safe. Statistics are cheap enough to read in production ({@link #stats()}).
 */
public final class BufferPool implements AutoCloseable {

    private final PoolConfig config;
    private final SizeClasses classes;
    private final ByteBudget budget;
    private final BufferFactory factory;
    private final SharedTier tier;
    private final CacheRegistry caches;
    private final boolean threadCaches;
    private final boolean direct;          // from config, read on every put's fast path
    private final int maxBufferSize;       // from config, read on every call's fast path
    private final boolean plainPuts;       // no STRICT bookkeeping and no zeroing: put's fast path applies
    private final boolean sampleEveryGet;  // leak detection ALL: a get its thread's cache serves is sampled too
    private final boolean detectDoublePut;
    private final StrictValidator strict;
    private final LeakDetector leakDetector;
    private final SampledSpares spares;    // what leak-sampled gets hand out views of; null when detection is off
    private final Poison zeroes;
    private final IdleClock idle;
    private final LongAdder unpooledGets = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder allocatedBytes = new LongAdder();
    private final ReentrantLock closeLock = new ReentrantLock(); // held for a whole close(): see close()
    private boolean closing; // guarded by closeLock
    private volatile boolean closed;

    /** A direct pool with every setting derived from this machine; see {@link Builder}. */
    public BufferPool() {
        this(builder().toConfig(), System::nanoTime, Builder.LOG);
    }

    private BufferPool(PoolConfig config, LongSupplier ticker, System.Logger log) {
        this.config = config;
        this.classes = new SizeClasses(config.minBufferSize(), config.maxBufferSize());
        this.budget = new ByteBudget(config.maxPooledBytes());
        this.factory = new BufferFactory(config.direct(),
                config.direct() && config.pinnedMemory() ? MemoryLocker.load() : null, log);
        this.leakDetector = config.leakDetection() == LeakDetection.OFF ? null
                : new LeakDetector(config.leakDetection(), log, factory::release);
        this.tier = new SharedTier(config, classes, budget, this::forget,
                config.validation() == Validation.OFF ? null : rejected::increment);
        this.spares = leakDetector == null ? null : new SampledSpares(classes, budget);
        if (spares != null) {
            budget.reclaimer(spares::drain); // idle spares give way to buffers (never pinned: nothing to release)
        }
        this.threadCaches = config.tlsCacheSize() > 0;
        this.detectDoublePut = config.validation() == Validation.FAST;
        this.strict = config.validation() == Validation.STRICT ? new StrictValidator() : null;
        this.zeroes = config.clearOnRelease() && strict == null ? new Poison((byte) 0) : null;
        this.idle = new IdleClock(ticker, config.idleTimeout().toNanos());
        this.direct = config.direct();
        this.maxBufferSize = config.maxBufferSize();
        this.plainPuts = strict == null && zeroes == null;
        this.sampleEveryGet = config.leakDetection() == LeakDetection.ALL;
        // a cache in a slot is what lets a call take the fast path: so a pool whose puts all need the slow
        // path (STRICT's bookkeeping, zeroing) gives its caches no slots, and the hit path tests no mode;
        // nor does leak detection ALL, which samples every get, where the fast path samples none it serves
        this.caches = new CacheRegistry(classes.count(), config.numShards(), plainPuts && !sampleEveryGet);
    }

    /** @return a builder whose unset options take defaults derived from this machine */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a buffer of at least {@code size} bytes. The caller owns it until it passes it to
     * {@link #put(ByteBuffer)}. Thread-safe.
     *
     * @param size bytes needed, from 0 up; above {@code maxBufferSize} the buffer is a fresh, unpooled
     *     one of capacity {@code size} (one byte more for exactly {@code maxBufferSize + 1}, the capacity
     *     that marks a leak-sampled view of the largest class), and {@code 0} gives a fresh empty buffer
     * @return a writable buffer with position 0, limit {@code size}, capacity of {@code size}'s class
     *     (never a larger class; on a leak-sampled get of a pooled size, one byte more, see
     *     {@link LeakDetection#SAMPLED}, except under {@link Validation#STRICT}, which samples through a
     *     duplicate of the buffer),
     *     {@link ByteOrder#BIG_ENDIAN}; its content is whatever its last holder left (fresh direct buffers
     *     are zeroed by the JDK)
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if the pool is closed; under {@link Validation#STRICT} also if the
     *     buffer it took was written after its last put (the pool then drops that buffer)
     */
    public ByteBuffer get(int size) {
        int stamp = idle.stamp(); // one volatile read tells closed, and the latest trim
        // size in [1, maxBufferSize] as one unsigned comparison: size - 1 is huge for 0 and negatives
        if (Integer.compareUnsigned(size - 1, maxBufferSize) < 0) {
            Thread thread = Thread.currentThread();
            int hash = Threads.hash(thread);
            ThreadCache cache = caches.slotted(thread, hash);
            if (cache != null && cache.fastPathOpen(stamp)) { // never true once closed: CLOSED is no lease
                int sizeClass = classes.indexFor(size);
                ByteBuffer buffer = cache.pop(sizeClass);
                if (buffer == null) {
                    buffer = getPastCache(sizeClass, size, cache, stamp);
                }
                return ready(buffer, size);
            }
            // a virtual thread, or caches off: the shards are the path (STRICT, ALL slot no cache: see the constructor)
            if (cache == null && stamp != IdleClock.CLOSED && strict == null && uncached(thread)) {
                int sizeClass = classes.indexFor(size);
                ByteBuffer buffer = takeShared(sizeClass, tier.home(hash), stamp);
                if (leakDetector != null && leakDetector.sampleWithoutCache()) {
                    buffer = sampleLeak(buffer, sizeClass, size, null);
                }
                return ready(buffer, size);
            }
        }
        return getSlowly(size, stamp);
    }

    /** Whether the thread has no cache by design: virtual (their number must not multiply caches), or caches off. */
    private boolean uncached(Thread thread) {
        return !threadCaches || Threads.isVirtual(thread);
    }

    /**
     * A get its thread's cache cannot serve: from the shared tier. Out of line, it is also where the
     * thread's leak-sampling clock is ticked and a due sample found, so that the hit path never looks at
     * sampling (see {@link ThreadCache#leakSampleDue}).
     */
    private ByteBuffer getPastCache(int sizeClass, int size, ThreadCache cache, int stamp) {
        ByteBuffer buffer = takeShared(sizeClass, cache.homeShard(), stamp);
        return cache.leakSampleDue(true) ? sampleLeak(buffer, sizeClass, size, cache) : buffer;
    }

    /** A buffer of the class from the shared tier, or a fresh one when no shard holds one. */
    private ByteBuffer takeShared(int sizeClass, int homeShard, int stamp) {
        ByteBuffer buffer = tier.take(sizeClass, homeShard, stamp);
        if (buffer == null) {
            buffer = allocate(classes.capacity(sizeClass), true);
            tier.recordMiss(sizeClass, homeShard); // once allocated: a get that could not allocate is no get
        }
        return buffer;
    }

    /**
     * The capacity of the buffer that serves {@code get(size)}: its size class's capacity for a pooled size,
     * else {@code size} itself (one byte more for {@code maxBufferSize + 1}). What a get of that size holds
     * of the pool's memory, for sizing: a caller that holds many buffers at once can add these up before
     * taking any. A leak-sampled get (see {@link LeakDetection}) hands out a view one byte larger, of a
     * spare, while this buffer waits behind it. Thread-safe; reads only the configuration.
     *
     * @param size bytes requested, as for {@link #get(int)}
     * @return the capacity in bytes, at least {@code size}
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public int bufferCapacity(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (size == 0 || size > maxBufferSize) {
            return unpooledCapacity(size);
        }
        return classes.capacity(classes.indexFor(size));
    }

    /**
     * Takes a buffer as {@link #get(int)} does, wrapped in a lease that {@link BufferLease#close()} hands
     * back: for try-with-resources, so the buffer goes back once on every path. Thread-safe.
     *
     * <pre>{@code
     * try (BufferLease lease = pool.lease(64 * 1024)) {
     *     channel.read(lease.buffer());
     * }
     * }</pre>
     *
     * Costs what {@code get} and {@code put} cost when the JIT inlines this method into the try block
     * and the lease does not escape it: the lease object is then removed. Otherwise (the lease stored in a
     * field or passed to a method the JIT does not inline, or this method compiled on its own first and
     * then too large for HotSpot to inline) it is one small allocation.
     *
     * @param size bytes needed, as for {@link #get(int)}
     * @return an open lease on a buffer with position 0, limit {@code size}, {@link ByteOrder#BIG_ENDIAN}
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if the pool is closed
     */
    public BufferLease lease(int size) {
        return new BufferLease(this, get(size));
    }

    /*
     * get() and put() are split into a fast path (the calling thread's own cache, or the shards for a
     * thread without one, with nothing to check beyond what every call checks) and a slow path with
     * everything else: first use, a renewed lease, closing, STRICT, clearing, misuse. Why: a caller's JIT
     * inlines get() and put() only while their compiled code stays small (HotSpot's InlineSmallCode), and
     * a pair inlined together costs less than two calls; with every rare case inline, put() compiled
     * larger than that limit. The slow paths repeat the fast path's checks, so taking them is always
     * correct. A leak sample waiting for one of a thread's next gets closes its get fast path until then
     * (see ThreadCache.leakSampleDue), so that the hit path never looks at sampling. Virtual threads take
     * the fast path too: sent down the slow one, they paid for every check twice (a fifth of their
     * throughput with 64 of them).
     */
    private ByteBuffer getSlowly(int size, int stamp) {
        if (size < 0) {
            // not counted: rejected counts puts (puts == kept + dropped + rejected), and a refused get is no get
            throw new IllegalArgumentException("size must be >= 0 (at most maxBufferSize "
                    + config.maxBufferSize() + " to be pooled), was " + size);
        }
        if (stamp == IdleClock.CLOSED) {
            dropOwnCacheAfterClose();
            throw new IllegalStateException("BufferPool is closed: get(" + size + ") after close()");
        }
        Thread thread = Thread.currentThread();
        ThreadCache cache = cacheOf(thread, stamp);
        ByteBuffer buffer = null;
        int sizeClass = -1;
        if (size > 0 && size <= config.maxBufferSize()) {
            sizeClass = classes.indexFor(size);
            buffer = cache != null ? cache.pop(sizeClass) : null;
        }
        boolean missed = buffer == null;
        if (sizeClass < 0) {
            // counted once allocated: a size the JVM cannot allocate at all is refused, and is no get
            buffer = allocate(unpooledCapacity(size), false);
            unpooledGets.increment();
        } else if (missed) {
            buffer = takeShared(sizeClass, homeShard(thread, cache), stamp);
        }
        if (strict != null) {
            checkStrictly(buffer, size);
        }
        if (cache != null ? cache.leakSampleDue(missed || sampleEveryGet)
                : leakDetector != null && leakDetector.sampleWithoutCache()) {
            buffer = sampleLeak(buffer, sizeClass, size, cache);
        }
        return ready(buffer, size);
    }

    /**
     * The capacity of an unpooled get's buffer: {@code size}, but one byte more for {@code maxBufferSize + 1},
     * which is the capacity of a leak-sampled view of the largest class alone, so that a second put of
     * such a view is told from an unpooled buffer's put and refused (see {@link #refuseReturnedView}).
     */
    private int unpooledCapacity(int size) {
        return size == maxBufferSize + 1 ? size + 1 : size;
    }

    /**
     * Position 0, limit {@code size}, big-endian: the state {@link #get(int)} promises. Applied last, to the
     * buffer handed out (a tracked view when the get is sampled), so that the JIT knows that state on
     * both paths of an inlined {@code get} and need not read it back in the caller's code or the
     * {@code put} that follows.
     */
    private static ByteBuffer ready(ByteBuffer buffer, int size) {
        buffer.clear().limit(size);
        buffer.order(ByteOrder.BIG_ENDIAN);
        return buffer;
    }

    /**
     * A get that leak detection samples (for a thread with a cache: one off the fast path when its leak
     * clock was due, see {@link ThreadCache#leakSampleDue}). Re-arms the clock, which runs in every mode,
     * so that the path past the cache reads no setting: with leak detection off it is re-armed
     * {@link Integer#MAX_VALUE} ticks ahead and tracks nothing; under {@code ALL}, one tick.
     *
     * <p>Hands out a tracked view of a spare one byte larger than the class (see {@link LeakDetector});
     * the buffer the get took is out on loan behind it, and the view's put returns it. An unpooled buffer
     * ({@code sizeClass} -1) is tracked through a duplicate of itself, and so is every buffer under STRICT,
     * whose puts all take the slow path and look the table up anyway, and whose poison must be in the
     * memory its holder uses. If no spare can be allocated, the get is not tracked.
     */
    private ByteBuffer sampleLeak(ByteBuffer buffer, int sizeClass, int size, ThreadCache cache) {
        if (cache != null) {
            cache.untilLeakSample(leakSampleTicks());
        }
        if (leakDetector == null) {
            return buffer;
        }
        if (sizeClass < 0 || strict != null) {
            return leakDetector.trackDuplicate(buffer, size);
        }
        ByteBuffer spare = spares.take(sizeClass);
        if (spare == null) {
            try {
                spare = factory.allocateUnpinned(spares.capacity(sizeClass));
            } catch (OutOfMemoryError noRoom) {
                return buffer; // leak detection samples: it never fails a get that the pool can serve
            }
            allocatedBytes.add(spare.capacity());
        }
        return leakDetector.track(buffer, spare, sizeClass, size);
    }

    /** Ticks of a thread cache's leak clock until its next sample: see {@link #sampleLeak}. */
    private int leakSampleTicks() {
        return leakDetector == null ? Integer.MAX_VALUE : leakDetector.nextSampleTicks();
    }

    private void checkStrictly(ByteBuffer buffer, int size) {
        try {
            strict.onGet(buffer, size);
        } catch (IllegalStateException writtenAfterPut) {
            forget(buffer); // the pool cannot trust its content: it stops holding and tracking it
            throw writtenAfterPut;
        }
    }

    /**
     * A fresh buffer of {@code capacity} bytes, pinned when pinning is on and {@code pooled}: an unpooled
     * buffer (zero-size or above {@code maxBufferSize}) is never pinned, because pinning promises locked
     * pooled memory, and one large unpooled buffer past {@code RLIMIT_MEMLOCK} would otherwise switch
     * pinning off for every buffer the pool allocates later.
     */
    private ByteBuffer allocate(int capacity, boolean pooled) {
        ByteBuffer buffer;
        try {
            buffer = pooled ? factory.allocate(capacity) : factory.allocateUnpinned(capacity);
        } catch (OutOfMemoryError outOfMemory) {
            if (!config.direct()) {
                // the JVM's own message ("Requested array size exceeds VM limit", say) names no size
                OutOfMemoryError error = new OutOfMemoryError("Java heap space: ZeroPool could not allocate a heap "
                        + "buffer of " + capacity + " bytes (" + outOfMemory.getMessage() + ")");
                error.initCause(outOfMemory);
                throw error;
            }
            buffer = allocateAfterDroppingIdle(capacity, pooled, outOfMemory);
        }
        allocatedBytes.add(capacity);
        return buffer;
    }

    /**
     * Direct memory ran out. The buffers idle in the shards are the pool's to give up: drop them, so that
     * the JDK's retry (which runs a GC and waits for cleaners) can reclaim their memory, and try once more.
     */
    private ByteBuffer allocateAfterDroppingIdle(int capacity, boolean pooled, OutOfMemoryError first) {
        long limit = MachineDefaults.maxDirectMemory();
        if (capacity > limit) { // no memory the pool gives up can help: keep what it holds
            OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory: ZeroPool cannot allocate "
                    + capacity + " bytes: more than the JVM's whole direct-memory limit, " + limit
                    + " bytes (-XX:MaxDirectMemorySize); the pool kept its idle buffers.");
            error.initCause(first);
            throw error;
        }
        long droppedBytes = tier.drain(this::forget);
        drainSpares();
        try {
            return pooled ? factory.allocate(capacity) : factory.allocateUnpinned(capacity);
        } catch (OutOfMemoryError second) {
            OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory: ZeroPool could not allocate "
                    + capacity + " bytes even after dropping the " + droppedBytes + " idle bytes its shards held. "
                    + "The pool still has " + budget.reserved() + " bytes of its budget reserved, by thread caches and "
                    + "spare reservations (maxPooledBytes "
                    + config.maxPooledBytes() + "); the JVM's direct-memory limit is "
                    + MachineDefaults.maxDirectMemory() + " bytes (-XX:MaxDirectMemorySize). The rest is held by "
                    + "buffers taken and not yet returned, or by direct memory used outside this pool.");
            error.initCause(second);
            error.addSuppressed(first);
            throw error;
        }
    }

    /**
     * The calling platform thread's cache, created on first use and renewed at its first call after a
     * trim; {@code null} for virtual threads (so their number does not multiply caches) and when caches
     * are disabled.
     */
    private ThreadCache cacheOf(Thread thread, int stamp) {
        if (uncached(thread)) {
            return null;
        }
        int hash = Threads.hash(thread);
        ThreadCache cache = caches.current(thread, hash);
        if (cache == null) {
            cache = newCache(thread, caches.chooseHome(hash), stamp);
            reclaim(caches.register(cache));
        } else if (!cache.leaseCurrent(stamp)) {
            cache = afterTrim(cache, stamp);
        }
        return cache;
    }

    /** The owner's first call since a trim: renew its lease (or start over if it was revoked), then trim. */
    private ThreadCache afterTrim(ThreadCache cache, int stamp) {
        if (!cache.renewLease(stamp)) {
            ThreadCache fresh = newCache(Thread.currentThread(), cache.homeShard(), stamp);
            caches.replace(cache, fresh);
            // a put of this thread stalled across the revocation may have stored a buffer after the trim
            // emptied the cache: to the shards with it, not stranded in a cache nobody reads any more
            keepOrForget(cache.takeStragglers(), cache.homeShard());
            return fresh;
        }
        cache.trim(idle, stamp, budget).forEach(this::forget);
        cache.divertIfLeakSampleDue();
        return cache;
    }

    private ThreadCache newCache(Thread thread, int homeShard, int stamp) {
        ThreadCache cache = new ThreadCache(thread, homeShard, config.tlsCacheSize(), classes.count(), stamp,
                tier.creditChunk(), leakDetector == null ? 1 : leakDetector.sampleSpread());
        cache.untilLeakSample(leakSampleTicks());
        return cache;
    }

    private int homeShard(Thread thread, ThreadCache cache) {
        return cache != null ? cache.homeShard() : tier.home(Threads.hash(thread));
    }

    /**
     * Hands a buffer back. From this call on the buffer belongs to the pool: the caller must not read,
     * write or keep it. Thread-safe.
     *
     * <p>The pool keeps the buffer (in the thread's cache or a shard) or, when its byte budget is full
     * (and the eviction policy keeps what it has), it has no size class for it or it is closed, drops it
     * to the garbage collector; both are fine for the caller. With {@code clearOnRelease} the buffer is
     * zeroed first.
     *
     * @param buffer a buffer from this pool's {@link #get(int)}, in any position, limit or byte order
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException if it is heap and the pool direct (or the reverse), read-only, or
     *     of a capacity that is no size class of this pool; under {@link Validation#STRICT} also if this
     *     pool did not hand it out (a foreign buffer or a view of a pooled one)
     * @throws IllegalStateException if the same buffer was put before and the pool still holds it in this
     *     thread's cache or in a shard, whichever thread put it there, untouched since ({@link Validation#FAST}
     *     knows it by the position, limit and byte order the pool left it in, which a {@code clear()} or
     *     {@code order(...)} after the put undoes; changed so, it is still caught when this thread's cache,
     *     or the shard a put without a cache goes to, kept it last of its size class, and otherwise only by
     *     STRICT); if it is a leak-sampled buffer of a pooled size already returned,
     *     or has the capacity of one (a class's plus one) without being one out now; if it is out again
     *     behind a leak-sampled get's view (a second put of an earlier loan, caught while it looks
     *     returned: not under {@link Validation#OFF}, which marks nothing); under
     *     {@link Validation#STRICT}, if any thread already put it
     */
    public void put(ByteBuffer buffer) {
        int stamp = idle.stamp();
        if (buffer != null) {
            int sizeClass = pooledClassOf(buffer);
            if (sizeClass >= 0 && !looksParked(buffer)) { // a leak-sampled view's capacity is no class's
                Thread thread = Thread.currentThread();
                int hash = Threads.hash(thread);
                ThreadCache cache = caches.slotted(thread, hash);
                // the lease alone: a leak sample waiting for a get (see fastPathOpen) is no put's business
                if (cache != null && cache.leaseCurrent(stamp)) { // never true once closed, as in get
                    if (detectDoublePut) {
                        park(buffer);
                        if (cache.holdsOnTop(sizeClass, buffer)) {
                            // put again right after its put, changed since (a clear(), say) so that it did not
                            // look parked: parked now, the slow path's exact check refuses it
                            putSlowly(buffer, stamp);
                            return;
                        }
                    }
                    if (!cache.push(sizeClass, buffer, budget, stamp)) {
                        putPastCache(sizeClass, buffer, cache, stamp);
                    }
                    return;
                }
                if (cache == null && stamp != IdleClock.CLOSED && plainPuts && uncached(thread)) {
                    if (detectDoublePut) {
                        park(buffer);
                    }
                    if (!tier.offer(sizeClass, buffer, tier.home(hash), stamp, true)) {
                        drop(buffer);
                    }
                    return;
                }
            }
        }
        putSlowly(buffer, stamp);
    }

    /**
     * Gives up a buffer from {@link #get(int)} without handing it back for reuse: for a caller that cannot
     * vouch that nobody uses it any more (a failed write the operating system may still read from; Jetty's
     * {@code removeAndRelease}). The pool stops holding and tracking it: unpinned, never reported as a leak,
     * forgotten by {@link Validation#STRICT}, neither zeroed nor poisoned (someone may still read it), and
     * left to the garbage collector. Counted as a put the pool dropped ({@link PoolStats#dropped()}), so
     * every get still has its put. A leak-sampled get's buffer is the view of a spare, whose memory the
     * holder used: the spare is dropped, and the pool buffer behind it, which no holder saw, goes back as
     * that view's put would return it (and so counts as that put would: kept, as a rule, not dropped).
     * Thread-safe.
     *
     * @param buffer a buffer from this pool's {@link #get(int)} that has not been put or discarded
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException as {@link #put(ByteBuffer)} does, for a buffer of the other kind,
     *     read-only, or of a capacity that is no size class of this pool
     * @throws IllegalStateException if it was put before and the pool still holds it in this thread's cache
     *     or in a shard ({@link Validation#FAST}), or it is a leak-sampled buffer of a pooled size already
     *     returned or discarded (as for {@code put}, an unpooled one is not remembered once untracked), or one returned before and out on loan again behind a leak-sampled get's view (as
     *     {@code put} refuses it; not under {@link Validation#OFF}, which marks nothing); under {@link Validation#STRICT}, if
     *     it was put already, by any thread, or a racing discard of it won (a buffer STRICT no longer
     *     knows, one discarded before, say, is refused with {@code IllegalArgumentException} as not handed
     *     out by this pool)
     */
    public void discard(ByteBuffer buffer) {
        int stamp = idle.stamp();
        if (buffer == null) {
            rejected.increment();
            throw new NullPointerException("buffer must not be null: discard() takes a buffer from this pool's get()");
        }
        if (leakDetector != null) {
            LeakDetector.Leak leak = leakDetector.untrack(buffer);
            if (leak != null && leak.spare != null) {
                if (strict != null) {
                    strict.onViewReturned(buffer, leak.original);
                }
                putSlowly(leak.original, stamp); // never seen by the holder: back as the view's put returns it
                return;
            }
            if (leak != null) {
                buffer = leak.original; // an unpooled or STRICT-sampled buffer, tracked through a duplicate
            } else if (strict == null) {
                refuseReturnedView(buffer);
            }
        }
        int sizeClass = validate(buffer);
        refuseIfLentBehindView(sizeClass, buffer, "buffer discarded after it was put",
                "discard() takes a buffer from get() instead of put()");
        if (strict != null) {
            try {
                strict.onDiscard(buffer);
            } catch (RuntimeException misuse) {
                rejected.increment();
                throw misuse;
            }
        } else if (sizeClass >= 0 && looksParked(buffer) && isHeld(sizeClass, buffer, ownCache())) {
            rejected.increment();
            throw new IllegalStateException("buffer discarded after it was put: the pool holds this buffer "
                    + "(capacity " + buffer.capacity() + "); discard() takes a buffer from get() instead of put()");
        }
        dropped.increment();
        forget(buffer);
    }

    /**
     * The class of a buffer the fast path may take: of this pool's kind, writable, and of a pooled
     * class's capacity; else -1, and {@link #validate} on the slow path says what is wrong, if anything.
     */
    private int pooledClassOf(ByteBuffer buffer) {
        if (buffer.isDirect() != direct || buffer.isReadOnly()) {
            return -1;
        }
        return classes.indexOfCapacity(buffer.capacity()); // -1 outside [minBufferSize, maxBufferSize] too
    }

    private void putSlowly(ByteBuffer buffer, int stamp) {
        if (buffer == null) {
            rejected.increment();
            throw new NullPointerException("buffer must not be null: put() takes a buffer from this pool's get()");
        }
        if (leakDetector != null && (strict != null || classes.indexOfCapacity(buffer.capacity()) < 0)) {
            LeakDetector.Leak leak = leakDetector.untrack(buffer); // a sampled view, or an unpooled buffer
            if (leak != null) {
                keepSpare(leak, stamp);
                if (strict != null) {
                    strict.onViewReturned(buffer, leak.original); // so that its second put reads as one
                }
                buffer = leak.original; // what the get took: the put returns it, as any put its buffer
            } else if (strict == null) {
                refuseReturnedView(buffer);
            }
        }
        if (stamp == IdleClock.CLOSED) {
            dropOwnCacheAfterClose();
            validate(buffer); // the checks that are always on hold after close() too
            if (strict != null) {
                checkStrictly(buffer); // STRICT's too, and its poison overwrites the holder's data, as on any put
            } else if (zeroes != null) {
                zeroes.fill(buffer); // clearOnRelease promises every put: its holder's data must not outlive it
            }
            drop(buffer);
            return;
        }
        int sizeClass = validate(buffer);
        Thread thread = Thread.currentThread();
        ThreadCache cache = cacheOf(thread, stamp);
        refuseIfLentBehindView(sizeClass, buffer, "buffer put twice", "a buffer is put once per get");
        if (strict != null) {
            checkStrictly(buffer);
        } else if (detectDoublePut && sizeClass >= 0) {
            // a loan behind a sampled view still looks parked (as it was when the sampled get took it), so
            // the view's put checks too: an earlier holder's second put, racing the sampled get, may have
            // pooled it meanwhile (LeakDetectionTest has the interleaving)
            if (looksParked(buffer) && isHeld(sizeClass, buffer, cache)) {
                rejected.increment();
                // "this buffer", not "this thread": the shards hold what any thread returned
                throw new IllegalStateException("buffer put twice: this buffer (capacity " + buffer.capacity()
                        + ") was returned before and the pool still holds it; a buffer is put once per get");
            }
            park(buffer);
        }
        if (zeroes != null) {
            zeroes.fill(buffer);
        }
        if (sizeClass < 0) {
            drop(buffer); // zero-size or larger than maxBufferSize: unpooled by design
            return;
        }
        if (cache == null || !cache.push(sizeClass, buffer, budget, stamp)) {
            putPastCache(sizeClass, buffer, cache, stamp);
        }
    }

    /** A put the thread's cache did not keep (or no cache): to the shared tier, with the cache's class. */
    private void putPastCache(int sizeClass, ByteBuffer buffer, ThreadCache cache, int stamp) {
        if (cache != null) {
            cache.divertIfLeakSampleDue();
            int moved = cache.takeClassOut(sizeClass);
            if (moved > 0) {
                offerBatch(cache, sizeClass, buffer, moved, stamp);
                return;
            }
        }
        if (!tier.offer(sizeClass, buffer, homeShard(Thread.currentThread(), cache), stamp, true)) {
            drop(buffer);
        }
    }

    /** The cache overflowed: its buffers of the class and the incoming one go to the shared tier together. */
    private void offerBatch(ThreadCache cache, int sizeClass, ByteBuffer incoming, int moved, int stamp) {
        ByteBuffer[] batch = cache.batch();
        batch[moved] = incoming;
        try {
            int kept = tier.offerBatch(sizeClass, batch, moved + 1, cache.homeShard(), stamp);
            for (int i = kept; i <= moved; i++) { // the home shard refused the rest: the usual path, one by one
                boolean isPut = i == moved;
                if (!isPut) {
                    budget.release(batch[i].capacity()); // its reservation came from the cache, unused
                }
                if (!tier.offer(sizeClass, batch[i], cache.homeShard(), stamp, isPut)) {
                    if (isPut) {
                        drop(batch[i]);
                    } else {
                        forget(batch[i]);
                    }
                }
            }
        } finally { // also when the put is refused as a second put (the cache's buffers are placed by then)
            java.util.Arrays.fill(batch, 0, moved + 1, null);
        }
    }

    /**
     * Refuses a buffer out on loan behind a leak-sampled view: an earlier holder's {@code put} or
     * {@code discard} after its first {@code put}. Pooling or dropping it would give the view's holder's
     * buffer away from under it (a put would hand it out twice; a discard would forget it, and the view's
     * put would then pool it all the same).
     */
    private void refuseIfLentBehindView(int sizeClass, ByteBuffer buffer, String refused, String rule) {
        if (sizeClass >= 0 && looksLentBehindView(buffer)) {
            rejected.increment();
            throw new IllegalStateException(refused + ": this buffer (capacity " + buffer.capacity()
                    + ") was returned before and is out on loan again, behind the view a leak-sampled get() "
                    + "handed out; " + rule);
        }
    }

    /**
     * Whether a buffer put is one that leak detection has out on loan behind a view: a second put of an
     * earlier loan, which the pool owes to the view's put. Looked up only for a buffer that looks parked,
     * as a pooled buffer does under FAST (OFF parks nothing, so it is never caught there), or under
     * STRICT, whose puts pay for lookups anyway (STRICT's own record of it reads "out", since its get was
     * recorded).
     */
    private boolean looksLentBehindView(ByteBuffer buffer) {
        return leakDetector != null && (strict != null || looksParked(buffer)) && leakDetector.lentBehindView(buffer);
    }

    /** A leak-sampled get's view came back: its spare waits for the next sample, if the budget has room. */
    private void keepSpare(LeakDetector.Leak leak, int stamp) {
        if (leak.spare == null) {
            return; // an unpooled buffer's view: no spare
        }
        if (zeroes != null) {
            zeroes.fill(leak.spare); // it holds what the view's holder wrote, kept or not
        }
        if (stamp == IdleClock.CLOSED) {
            return; // a closed pool keeps nothing
        }
        spares.keep(leak.spareClass, leak.spare, stamp); // else dropped to the collector (never pinned)
    }

    /**
     * An untracked buffer of no class's capacity: if it has a sampled view's capacity (a class's plus
     * one), it is one already returned, or a stranger: refused, lest a second put of a view return its
     * spare twice (or, with {@code clearOnRelease}, zero it under its next holder). No unpooled get has
     * such a capacity: the one size that would, {@code maxBufferSize + 1}, gets a byte more.
     */
    private void refuseReturnedView(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        if (buffer.isDirect() == direct && !buffer.isReadOnly() && capacity <= maxBufferSize + 1
                && classes.indexOfCapacity(capacity - 1) >= 0) {
            rejected.increment();
            throw new IllegalStateException("buffer put twice: this buffer (capacity " + capacity
                    + ") was handed out by a leak-sampled get() and has already been returned, or it is not from "
                    + "this pool; a buffer is put once per get");
        }
    }

    private void checkStrictly(ByteBuffer buffer) {
        try {
            strict.onPut(buffer);
        } catch (RuntimeException misuse) {
            rejected.increment();
            throw misuse;
        }
    }

    /** @return the buffer's size class, or -1 for a capacity served unpooled; throws when invalid */
    private int validate(ByteBuffer buffer) {
        if (buffer.isDirect() != config.direct()) {
            rejected.increment();
            throw new IllegalArgumentException("buffer is " + kind(buffer.isDirect()) + " but this pool hands out "
                    + kind(config.direct()) + " buffers; put() takes buffers from this pool's get()");
        }
        if (buffer.isReadOnly()) {
            rejected.increment();
            throw new IllegalArgumentException(
                    "buffer is read-only; put() takes the writable buffer that get() returned, not a view of it");
        }
        int capacity = buffer.capacity();
        if (capacity == 0 || capacity > config.maxBufferSize()) {
            return -1;
        }
        int sizeClass = classes.indexOfCapacity(capacity);
        if (sizeClass < 0) {
            rejected.increment();
            throw new IllegalArgumentException("buffer capacity " + capacity + " is no size class of this pool ("
                    + classes.describeNearest(capacity) + "); put() takes buffers from this pool's get()");
        }
        return sizeClass;
    }

    private static String kind(boolean direct) {
        return direct ? "direct" : "heap";
    }

    /*
     * Double-put detection without a lookup on the hit path: a buffer the pool keeps is "parked" in a
     * state get() never hands out (position 0, limit 0, little-endian). Only a parked-looking buffer pays
     * for the exact check, an identity scan of this thread's cache and of the shards (bounded by what
     * they hold of the class). A caller who happens to leave a buffer in that state just pays for the
     * scan; get() restores position, limit and order.
     */
    private static boolean looksParked(ByteBuffer buffer) {
        return buffer.limit() == 0 && buffer.position() == 0 && buffer.order() == ByteOrder.LITTLE_ENDIAN;
    }

    private static void park(ByteBuffer buffer) {
        // clear() then flip() leaves position 0, limit 0, no mark, as limit(0) would, but as three plain
        // stores: limit(int) must check its argument against the capacity and then the position and mark
        buffer.clear().flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private boolean isHeld(int sizeClass, ByteBuffer buffer, ThreadCache cache) {
        return (cache != null && cache.holds(sizeClass, buffer)) || tier.holds(sizeClass, buffer);
    }

    /** A put whose buffer the pool does not keep. */
    private void drop(ByteBuffer buffer) {
        dropped.increment();
        forget(buffer);
    }

    /** The pool stops holding or tracking a buffer: unpin it and leave it to the garbage collector. */
    private void forget(ByteBuffer buffer) {
        if (strict != null) {
            strict.onForget(buffer);
        }
        factory.release(buffer);
    }

    /**
     * A buffer taken back from an idle thread's cache. The pool stops holding it, but its owner, if it was
     * stalled inside a call since before the revocation (the one case the lease cannot see), may still
     * pop it and hand it out, to one holder only (see {@link ThreadCache}). So STRICT validation keeps
     * knowing it (its table holds buffers weakly: nothing is retained), lest that holder's {@code put} be
     * refused as foreign.
     */
    private void forgetRevoked(ByteBuffer buffer) {
        factory.release(buffer);
    }

    /**
     * Moves the buffers of ended threads' caches to their home shards, or drops them.
     *
     * @return bytes dropped: the buffers the shards did not keep, and those evicted to keep them
     */
    private long reclaim(List<ThreadCache> ended) {
        long droppedBytes = 0;
        for (ThreadCache cache : ended) {
            droppedBytes += keepOrForget(cache.takeBack(budget), cache.homeShard());
        }
        return droppedBytes;
    }

    /**
     * Offers buffers that left a cache, their bytes no longer reserved, to the shards from {@code home} on
     * (not as puts: their puts were counted when the cache kept them); drops those not kept.
     *
     * @return bytes dropped: those not kept, and those evicted to make room for them
     */
    private long keepOrForget(List<ByteBuffer> buffers, int home) {
        ForgetCounting dropped = new ForgetCounting();
        for (ByteBuffer buffer : buffers) {
            if (closed || !tier.offer(classes.indexOfCapacity(buffer.capacity()), buffer, home, idle.stamp(), false,
                    dropped)) {
                dropped.accept(buffer);
            }
        }
        return dropped.bytes;
    }

    /** Forgets the buffers given to it and adds up their bytes; one caller's, on its own thread. */
    private final class ForgetCounting implements Consumer<ByteBuffer> {
        long bytes;

        @Override
        public void accept(ByteBuffer buffer) {
            bytes += buffer.capacity();
            forget(buffer);
        }
    }

    /** On a closed pool, the calling thread drops what its cache still holds. */
    private void dropOwnCacheAfterClose() {
        ThreadCache cache = ownCache();
        if (cache != null) {
            cache.takeBack(budget).forEach(this::forget); // unless close() took it back already
            caches.forgetCurrent();
        }
    }

    /** The shared tier (for tests). */
    SharedTier tier() {
        return tier;
    }

    /** The calling thread's cache, {@code null} if it has none (also for tests). */
    ThreadCache ownCache() {
        return uncached(Thread.currentThread()) ? null : caches.current();
    }

    /**
     * Drops the buffers that have been idle in the pool for longer than {@link PoolConfig#idleTimeout()},
     * so that memory taken in a load spike goes back when the spike is over, and takes back the caches of
     * threads that have stopped calling the pool. Also reclaims the caches of threads that have ended.
     * Call it periodically (the Spring Boot starter schedules it). Thread-safe.
     *
     * <p>Shards are trimmed at once. A thread that is still calling the pool trims its own cache at its
     * next call (dropping each size class that has had no buffer back for the idle timeout), because a
     * cache is only touched by its owner while the owner is active. A thread that has made no call since
     * the trim before last, and whose idle time is up, has its whole cache taken back by this call and
     * dropped: a thread that stops calling the pool holds no buffer for longer than {@code idleTimeout}
     * plus one trim interval (when the interval is at most {@code idleTimeout}). Idle time in the shards
     * is measured from the trim after the buffer's return, so a shard buffer is never dropped early, and
     * at most one trim interval late.
     *
     * <p>Leak detection's idle spares (see {@link LeakDetection#SAMPLED}) are dropped by the same rule.
     *
     * @return bytes dropped by this call: from the shards, from idle threads' caches, from ended threads'
     *     caches (what the shards had no place for) and from the calling thread's own cache (spares, which
     *     are not pooled buffers, not counted)
     */
    public long trim() {
        if (closed) {
            return 0;
        }
        long droppedBytes = reclaim(caches.removeEnded()); // what the shards had no place for
        int current = idle.advance();
        if (current == IdleClock.CLOSED) {
            return droppedBytes; // closed since the test above: no lease may ever be renewed at CLOSED (see fastPathOpen)
        }
        for (ByteBuffer idleBuffer : tier.trim(idle, current)) {
            droppedBytes += idleBuffer.capacity();
            forget(idleBuffer);
        }
        for (ThreadCache cache : caches.snapshot()) {
            for (ByteBuffer revoked : cache.revokeIfIdle(idle, current, budget)) {
                droppedBytes += revoked.capacity();
                forgetRevoked(revoked);
            }
        }
        ThreadCache own = ownCache();
        if (own != null && !own.revoked() && own.renewLease(current)) {
            for (ByteBuffer expired : own.trim(idle, current, budget)) {
                droppedBytes += expired.capacity();
                forget(expired);
            }
            own.divertIfLeakSampleDue(); // as at any thread's first call after a trim
        }
        if (spares != null) {
            spares.trim(idle, current); // not counted: spares are leak detection's, not pooled buffers
        }
        return droppedBytes;
    }

    /**
     * Drops every buffer the shards hold now, however recently returned: memory given back at once, when
     * an operator or a framework asks for it (Jetty's {@code ByteBufferPool.clear()}, say), where
     * {@link #trim()} gives back only what has been idle for the idle timeout. The pool stays open and
     * usable. Thread-safe.
     *
     * <p>The caches of threads that have ended are emptied too. Live threads' caches are left alone: a
     * cache is only touched by its owner while the owner is active, and holds at most {@code tlsCacheSize}
     * buffers in all; {@code trim()} takes back idle ones as usual. Buffers that callers hold come back
     * with {@code put} as usual.
     *
     * <p>Leak detection's idle spares are dropped too (not counted: they are not pooled buffers).
     *
     * @return bytes dropped; 0 once the pool is closed
     */
    public long clear() {
        if (closed) {
            return 0;
        }
        long droppedBytes = reclaim(caches.removeEnded()); // else ended threads' buffers would reach the shards right after
        drainSpares();
        return droppedBytes + tier.drain(this::forget);
    }

    /**
     * A snapshot of the pool's counters and contents: cumulative counters, what each shard holds, and
     * per-size-class figures. Thread-safe and cheap: it holds the shards' locks together for a few array
     * reads each (one consistent cut of the shared tier) and reads the per-thread
     * counters without stopping their owners. Also reclaims the caches of threads that have ended.
     *
     * @return an immutable snapshot
     */
    public PoolStats stats() {
        reclaim(caches.removeEnded());
        if (leakDetector != null) {
            leakDetector.poll();
        }
        int count = classes.count();
        long[] pooled = new long[count];
        long[] tlsHits = new long[count];
        long[] shardHits = new long[count];
        long[] misses = new long[count];
        long[] evictions = new long[count];
        List<ShardStats> shardStats = new ArrayList<>();
        long shardKept = tier.addStats(shardStats, pooled, shardHits, misses, evictions);
        long tlsKept = caches.addStats(pooled, tlsHits);

        List<SizeClassStats> classStats = new ArrayList<>();
        long totalTlsHits = 0;
        long totalShardHits = 0;
        long totalMisses = unpooledGets.sum();
        long pooledBuffers = 0;
        long pooledBytes = 0;
        for (int c = 0; c < count; c++) {
            totalTlsHits += tlsHits[c];
            totalShardHits += shardHits[c];
            totalMisses += misses[c];
            pooledBuffers += pooled[c];
            pooledBytes += pooled[c] * classes.capacity(c);
            if (pooled[c] + tlsHits[c] + shardHits[c] + misses[c] + evictions[c] > 0) {
                classStats.add(new SizeClassStats(classes.capacity(c), (int) pooled[c], tlsHits[c], shardHits[c],
                        misses[c], evictions[c]));
            }
        }
        long droppedPuts = dropped.sum();
        long rejectedCalls = rejected.sum();
        return new PoolStats(totalTlsHits + totalShardHits + totalMisses, totalTlsHits, totalShardHits, totalMisses,
                tlsKept + shardKept + droppedPuts + rejectedCalls, droppedPuts, rejectedCalls, pooledBuffers,
                pooledBytes, allocatedBytes.sum(), factory.pinnedBytes(),
                leakDetector == null ? 0 : leakDetector.leaks(), shardStats, classStats);
    }

    /** @return the effective settings, after defaults; immutable */
    public PoolConfig config() {
        return config;
    }

    /**
     * Drops every pooled buffer now: the shards are emptied, the caches of all threads are cleared, and
     * pinned memory is unlocked; the memory goes to the garbage collector. Afterwards {@code get} throws
     * {@link IllegalStateException} and {@code put} drops what it is given (unpinning it). Idempotent and
     * thread-safe: a {@code close} racing another returns only once the first has emptied the pool. A
     * {@code put} racing with {@code close} may leave its one buffer in its thread's cache until that
     * thread next calls the pool or ends.
     */
    @Override
    public void close() {
        // One lock for the whole close, not a flag: a second close() (a shutdown hook beside a Spring
        // context's close, say) must not return while the first still waits for a busy shard, with the
        // shards' buffers still pooled and pinned. Nothing that holds a shard lock ever waits for this one.
        // A ReentrantLock, not synchronized: a virtual thread waiting here must not pin its carrier (JDK < 24).
        closeLock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            closed = true;
            idle.close();
            tier.close().forEach(this::forget);
            if (spares != null) {
                spares.close(); // to the collector (never pinned); and a view put racing this keeps no spare
            }
            reclaim(caches.removeEnded());
            for (ThreadCache cache : caches.snapshot()) {
                cache.revokeOnClose(budget).forEach(this::forget);
            }
        } finally {
            closeLock.unlock();
        }
    }

    /** Drops leak detection's idle spares: to the collector (never pinned: nothing to release). */
    private void drainSpares() {
        if (spares != null) {
            spares.drain();
        }
    }

    /** For tests: buffers leak detection is tracking, including collected ones not yet reported. */
    int trackedForLeaks() {
        return leakDetector == null ? 0 : leakDetector.tracked();
    }

    /** For tests: the buffer a leak-sampled get took, behind the view it handed out; or {@code null}. */
    ByteBuffer originalOfSampled(ByteBuffer handedOut) {
        LeakDetector.Leak leak = leakDetector == null ? null : leakDetector.entryOf(handedOut);
        return leak == null ? null : leak.original;
    }

    /** For tests: the spare whose memory a leak-sampled view is; or {@code null}. */
    ByteBuffer spareOfSampled(ByteBuffer handedOut) {
        LeakDetector.Leak leak = leakDetector == null ? null : leakDetector.entryOf(handedOut);
        return leak == null ? null : leak.spare;
    }

    /** For tests: leak detection's idle spares. */
    int idleSpares() {
        return spares == null ? 0 : spares.idleCount();
    }

    /** For tests: bytes reserved from the byte budget (held buffers and credit). */
    long reservedBytes() {
        return budget.reserved();
    }

    /** For tests: how many per-thread caches this pool has registered. */
    int threadCacheCount() {
        return caches.size();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /** @return {@code BufferPool[PoolConfig[...]]}, with {@code , closed} once closed: for logs and debuggers */
    @Override
    public String toString() {
        return "BufferPool[" + config + (closed ? ", closed]" : "]");
    }

    /**
     * Builds a {@link BufferPool}. Every option is optional; unset options take defaults derived from
     * {@link Runtime#availableProcessors()} ("cpus") and the JVM's memory limits, as each method says.
     * Values are checked by {@link #build()}, which throws {@link PoolConfigException} (an
     * {@link IllegalArgumentException}) naming the option, the value and the allowed range.
     * Not thread-safe; a builder may build several independent pools.
     */
    public static final class Builder {

        static final int DEFAULT_MIN_BUFFER_SIZE = 4 * 1024;
        static final int DEFAULT_MAX_BUFFER_SIZE = 64 * 1024 * 1024;
        static final int LARGEST_BUFFER_SIZE = 1 << 30;
        static final int SMALLEST_BUFFER_SIZE = 16;
        static final int MAX_TLS_CACHE_SIZE = 1024;
        static final int MAX_BUFFERS_PER_SHARD = Integer.MAX_VALUE;
        static final int MAX_SHARDS = 1024;
        static final System.Logger LOG = System.getLogger(BufferPool.class.getName());
        static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
        static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(365);

        private Integer tlsCacheSize;
        private Integer minBufferSize;
        private Integer maxBufferSize;
        private Integer maxBuffersPerShard;
        private Integer numShards;
        private Long maxPooledBytes;
        private boolean pinnedMemory;
        private EvictionPolicy evictionPolicy = EvictionPolicy.CLOCK_PRO;
        private boolean direct = true;
        private Validation validation = Validation.FAST;
        private LeakDetection leakDetection = LeakDetection.SAMPLED;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private boolean clearOnRelease;
        private LongSupplier ticker = System::nanoTime;
        private System.Logger log = LOG;

        Builder() {
        }

        /**
         * Buffers each platform thread may cache for this pool, in [0, 1024]; 0 disables the per-thread
         * cache. Default 4. Kept small on purpose: the shared tier serves everything else at a one-CAS
         * cost, and what a thread caches is out of other threads' reach until it calls again or a trim
         * takes it back. A put that finds no room moves the cache's buffers of its class to the shared
         * tier with it, so a thread that only returns buffers hands them over in batches of this plus one.
         */
        public Builder tlsCacheSize(int buffers) {
            this.tlsCacheSize = buffers;
            return this;
        }

        /**
         * Smallest size class in bytes, a power of two in [16, 1 GiB]; smaller requests get a buffer of
         * this capacity (with their own limit). Default 4 KiB.
         */
        public Builder minBufferSize(int bytes) {
            this.minBufferSize = bytes;
            return this;
        }

        /**
         * Largest size class in bytes, a power of two in [minBufferSize, 1 GiB]; larger requests get a
         * fresh, unpooled buffer. Default 64 MiB, or {@code minBufferSize} if that is larger.
         */
        public Builder maxBufferSize(int bytes) {
            this.maxBufferSize = bytes;
            return this;
        }

        /**
         * Buffers one shard holds at most, over all size classes, in [1, 2147483647]. Default:
         * {@code maxPooledBytes / minBufferSize} (at most 2147483647), so that only the byte budget
         * binds; set it to bound each shard by count as well (a full shard spills to others with room,
         * then its eviction policy decides).
         */
        public Builder maxBuffersPerShard(int buffers) {
            this.maxBuffersPerShard = buffers;
            return this;
        }

        /**
         * Number of shards, a power of two in [1, 1024]. Default: the next power of two at or above
         * twice the cpus, clamped to [8, 256] (2 cpus: 8, 20 cpus: 64), so that the threads running at
         * once rarely share a home shard.
         */
        public Builder numShards(int shards) {
            this.numShards = shards;
            return this;
        }

        /**
         * Bytes the pool holds at most, shards and thread caches together, at least 1. Default: a quarter
         * of the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, or the heap maximum when it
         * is not set) for direct pools, a quarter of the heap maximum for heap pools.
         */
        public Builder maxPooledBytes(long bytes) {
            this.maxPooledBytes = bytes;
            return this;
        }

        /**
         * Whether to lock pooled direct memory in RAM (mlock) so it is never swapped out. Needs Linux and
         * JNA ({@code net.java.dev.jna:jna}) on the class path; without them, or past
         * {@code RLIMIT_MEMLOCK}, buffers work unpinned and one log line says why
         * ({@link PoolStats#pinnedBytes()} tells what is really locked). Ignored for heap pools. Default false.
         * The spares whose views leak-sampled gets hand out (see {@link LeakDetection#SAMPLED}) are not
         * pinned: a holder may leak one.
         */
        public Builder pinnedMemory(boolean pinned) {
            this.pinnedMemory = pinned;
            return this;
        }

        /**
         * What a shard does with a returned buffer when the byte budget (or an explicit count bound) binds.
         * Default {@link EvictionPolicy#CLOCK_PRO}.
         */
        public Builder evictionPolicy(EvictionPolicy policy) {
            this.evictionPolicy = policy;
            return this;
        }

        /** Direct buffers ({@code true}, default) or heap buffers ({@code false}). */
        public Builder direct(boolean direct) {
            this.direct = direct;
            return this;
        }

        /** How thoroughly misuse is checked; see {@link Validation}. Default {@link Validation#FAST}. */
        public Builder validation(Validation validation) {
            this.validation = validation;
            return this;
        }

        /** Whether leaked buffers are reported; see {@link LeakDetection}. Default {@link LeakDetection#SAMPLED}. */
        public Builder leakDetection(LeakDetection leakDetection) {
            this.leakDetection = leakDetection;
            return this;
        }

        /**
         * How long a buffer may sit unused in the pool before {@link BufferPool#trim()} drops it, in
         * (0, 365 days]. Default 60 seconds.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Whether {@code put} zeroes every buffer (its whole capacity) before keeping or dropping it, so one
         * holder's data (secrets, another tenant's bytes) never reaches the next. Costs a pass over the
         * buffer per put. Under {@link Validation#STRICT} buffers are poisoned instead, which overwrites them
         * as well. Default false.
         */
        public Builder clearOnRelease(boolean clear) {
            this.clearOnRelease = clear;
            return this;
        }

        /** For tests: the nanosecond clock idle times are measured with. */
        Builder ticker(LongSupplier nanoTime) {
            this.ticker = nanoTime;
            return this;
        }

        /** For tests: where the pool's few log lines (pinning unavailable, leaks) go. */
        Builder log(System.Logger logger) {
            this.log = logger;
            return this;
        }

        /**
         * @return a new pool with these settings
         * @throws PoolConfigException if an option is outside its allowed range
         */
        public BufferPool build() {
            return new BufferPool(toConfig(), ticker, log);
        }

        /** The effective settings: set options checked, unset ones derived from the machine. */
        PoolConfig toConfig() {
            int cpus = Runtime.getRuntime().availableProcessors();
            int tls = tlsCacheSize != null ? tlsCacheSize : MachineDefaults.tlsCacheSize(cpus);
            check("tlsCacheSize", tls, tls >= 0 && tls <= MAX_TLS_CACHE_SIZE, "in [0, " + MAX_TLS_CACHE_SIZE + "]");
            int min = minBufferSize != null ? minBufferSize : DEFAULT_MIN_BUFFER_SIZE;
            check("minBufferSize", min, isPowerOfTwoIn(min, SMALLEST_BUFFER_SIZE, LARGEST_BUFFER_SIZE),
                    "a power of two in [" + SMALLEST_BUFFER_SIZE + ", " + LARGEST_BUFFER_SIZE + "]");
            int max = maxBufferSize != null ? maxBufferSize : Math.max(DEFAULT_MAX_BUFFER_SIZE, min);
            check("maxBufferSize", max, isPowerOfTwoIn(max, min, LARGEST_BUFFER_SIZE),
                    "a power of two in [minBufferSize " + min + ", " + LARGEST_BUFFER_SIZE + "]");
            long bound = maxPooledBytes != null ? maxPooledBytes : MachineDefaults.maxPooledBytes(direct);
            check("maxPooledBytes", bound, bound >= 1, "at least 1");
            int perShard = maxBuffersPerShard != null ? maxBuffersPerShard
                    : MachineDefaults.maxBuffersPerShard(bound, min);
            check("maxBuffersPerShard", perShard, perShard >= 1 && perShard <= MAX_BUFFERS_PER_SHARD,
                    "in [1, " + MAX_BUFFERS_PER_SHARD + "]");
            int shardCount = numShards != null ? numShards : MachineDefaults.numShards(cpus);
            check("numShards", shardCount, isPowerOfTwoIn(shardCount, 1, MAX_SHARDS),
                    "a power of two in [1, " + MAX_SHARDS + "]");
            check("evictionPolicy", evictionPolicy, evictionPolicy != null, "one of CLOCK_PRO, LIFO");
            check("validation", validation, validation != null, "one of OFF, FAST, STRICT");
            check("leakDetection", leakDetection, leakDetection != null, "one of OFF, SAMPLED, ALL");
            check("idleTimeout", idleTimeout, idleTimeout != null && idleTimeout.compareTo(Duration.ZERO) > 0
                    && idleTimeout.compareTo(MAX_IDLE_TIMEOUT) <= 0, "a duration in (0, " + MAX_IDLE_TIMEOUT + "]");
            return new PoolConfig(tls, min, max, perShard, shardCount, bound, pinnedMemory, evictionPolicy, direct,
                    validation, leakDetection, idleTimeout, clearOnRelease);
        }

        private static boolean isPowerOfTwoIn(int value, int low, int high) {
            return Integer.bitCount(value) == 1 && value >= low && value <= high;
        }

        private static void check(String option, Object value, boolean valid, String allowed) {
            if (!valid) {
                throw new PoolConfigException(option, value, allowed);
            }
        }
    }
}
