package dev.zeropool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A bounded pool of {@link ByteBuffer}s whose {@link #get(int)} and {@link #put(ByteBuffer)} cost a few
 * nanoseconds at any size, from any number of threads.
 *
 * <pre>{@code
 * try (BufferPool pool = new BufferPool()) {      // defaults derived from the CPU count
 *     ByteBuffer buffer = pool.get(64 * 1024);   // position 0, limit 65536, BIG_ENDIAN
 *     try {
 *         channel.read(buffer);
 *     } finally {
 *         pool.put(buffer);                      // hand it back; do not touch it afterwards
 *     }
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * A request is rounded up to a size class (four per doubling, so at most 25% larger than asked).
 * {@code get} first looks in the calling thread's own cache (no lock, no atomic instruction), then in
 * the thread's home shard (a small lock; the shard is chosen by a hash of the thread), then in the other
 * shards without waiting for their locks, and only then allocates. {@code put} keeps the buffer in the
 * thread's cache if it has room, else in the home shard, whose {@link EvictionPolicy} decides at the
 * bound, else drops it. Virtual threads have no cache of their own (a million of them must not mean a
 * million caches): they use the shards directly.
 *
 * <h2>Ownership</h2>
 * A buffer returned by {@code get} belongs to the caller until it passes it to {@code put}; from then on
 * it belongs to the pool and the caller must not read, write or keep it. The pool never hands one buffer
 * to two holders. Content is not cleared: a reused buffer holds what its last holder wrote.
 *
 * <h2>Memory</h2>
 * The bytes the pool holds (shards and all thread caches together) never exceed
 * {@link PoolConfig#maxPooledBytes()}. Buffers the pool stops holding (dropped on {@code put}, evicted,
 * or held at {@code close}) are unpinned if pinned and left to the garbage collector. The pool never
 * frees memory itself: it cannot know that no caller still holds a stale reference, and freeing
 * early would turn such a use-after-put into native memory corruption.
 *
 * <h2>Misuse</h2>
 * Always-on checks, constant time on the hit path: {@code get} of a negative size, {@code put} of
 * {@code null}, of the wrong kind (heap into a direct pool or the reverse), of a read-only buffer, of a
 * capacity that is no size class, and a buffer put twice by the same thread while the pool still holds
 * it. Each throws with a message naming the value and what is allowed, counts in
 * {@link PoolStats#rejected()}, and leaves the pool usable.
 *
 * <p>Thread-safe. Statistics are cheap enough to read in production ({@link #stats()}).
 */
public final class BufferPool implements AutoCloseable {

    private final PoolConfig config;
    private final SizeClasses classes;
    private final ByteBudget budget;
    private final BufferFactory factory;
    private final Shard[] shards;
    private final int shardMask;
    private final CacheRegistry caches;
    private final boolean threadCaches;
    private final boolean detectDoublePut;
    private final StrictValidator strict;
    private final LeakDetector leakDetector;
    private final Poison zeroes;
    private final IdleClock idle;
    private final Consumer<ByteBuffer> forget = this::forget; // one instance, for the shards' evictions
    private final LongAdder unpooledGets = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder allocatedBytes = new LongAdder();
    private final AtomicBoolean closing = new AtomicBoolean();
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
        this.shards = new Shard[config.numShards()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i, config.maxBuffersPerShard(), classes, budget, config.evictionPolicy());
        }
        this.shardMask = shards.length - 1;
        this.caches = new CacheRegistry(classes.count());
        this.threadCaches = config.tlsCacheSize() > 0;
        this.detectDoublePut = config.validation() == Validation.FAST;
        this.strict = config.validation() == Validation.STRICT ? new StrictValidator() : null;
        this.leakDetector = config.leakDetection() == LeakDetection.OFF ? null
                : new LeakDetector(config.leakDetection(), log);
        this.zeroes = config.clearOnRelease() && strict == null ? new Poison((byte) 0) : null;
        this.idle = new IdleClock(ticker, config.idleTimeout().toNanos());
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
     *     one, and {@code 0} gives a fresh empty buffer
     * @return a writable buffer with position 0, limit {@code size}, capacity of {@code size}'s class
     *     (never a larger class), {@link ByteOrder#BIG_ENDIAN}; its content is whatever its last holder
     *     left (fresh direct buffers are zeroed by the JDK)
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if the pool is closed
     */
    public ByteBuffer get(int size) {
        if (size < 0) {
            rejected.increment();
            throw new IllegalArgumentException("size must be >= 0 (at most maxBufferSize "
                    + config.maxBufferSize() + " to be pooled), was " + size);
        }
        if (idle.stamp() == IdleClock.CLOSED) { // one volatile read tells closed, and (in put) the trim stamp
            dropOwnCacheAfterClose();
            throw new IllegalStateException("BufferPool is closed: get(" + size + ") after close()");
        }
        Thread thread = Thread.currentThread();
        ThreadCache cache = cacheOf(thread);
        ByteBuffer buffer;
        if (size == 0 || size > config.maxBufferSize()) {
            unpooledGets.increment();
            buffer = allocate(size);
        } else {
            int sizeClass = classes.indexFor(size);
            buffer = cache != null ? cache.pop(sizeClass) : null;
            if (buffer == null) {
                buffer = takeFromShards(sizeClass, homeShard(thread, cache));
                if (buffer == null) {
                    buffer = allocate(classes.capacity(sizeClass));
                }
            }
        }
        if (strict != null) {
            checkStrictly(buffer, size);
        }
        if (leakDetector != null && (cache != null ? leakDetector.trackEvery() || cache.sampleLeak()
                : leakDetector.sampleWithoutCache())) {
            leakDetector.track(buffer, size);
        }
        buffer.clear().limit(size);
        return buffer.order(ByteOrder.BIG_ENDIAN);
    }

    private void checkStrictly(ByteBuffer buffer, int size) {
        try {
            strict.onGet(buffer, size);
        } catch (IllegalStateException writtenAfterPut) {
            factory.release(buffer); // STRICT already forgot it; the pool cannot trust its content
            throw writtenAfterPut;
        }
    }

    private ByteBuffer takeFromShards(int sizeClass, int home) {
        ByteBuffer buffer = shards[home].take(sizeClass);
        if (buffer != null) {
            return buffer;
        }
        // Before paying for an allocation, reuse what other threads returned elsewhere (a producer on
        // one shard, a consumer on another), without waiting for a busy lock.
        for (int i = 1; i < shards.length; i++) {
            buffer = shards[(home + i) & shardMask].tryTake(sizeClass);
            if (buffer != null) {
                return buffer;
            }
        }
        shards[home].recordMiss(sizeClass);
        return null;
    }

    private ByteBuffer allocate(int capacity) {
        ByteBuffer buffer;
        try {
            buffer = factory.allocate(capacity);
        } catch (OutOfMemoryError outOfMemory) {
            if (!config.direct()) {
                throw outOfMemory;
            }
            buffer = allocateAfterDroppingIdle(capacity, outOfMemory);
        }
        allocatedBytes.add(capacity);
        return buffer;
    }

    /**
     * Direct memory ran out. The buffers idle in the shards are the pool's to give up: drop them, so that
     * the JDK's retry (which runs a GC and waits for cleaners) can reclaim their memory, and try once more.
     */
    private ByteBuffer allocateAfterDroppingIdle(int capacity, OutOfMemoryError first) {
        long droppedBytes = 0;
        for (Shard shard : shards) {
            for (ByteBuffer idleBuffer : shard.drain()) {
                droppedBytes += idleBuffer.capacity();
                forget(idleBuffer);
            }
        }
        try {
            return factory.allocate(capacity);
        } catch (OutOfMemoryError second) {
            OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory: ZeroPool could not allocate "
                    + capacity + " bytes even after dropping the " + droppedBytes + " idle bytes its shards held. "
                    + "The pool still holds " + budget.reserved() + " bytes in thread caches (maxPooledBytes "
                    + config.maxPooledBytes() + "); the JVM's direct-memory limit is "
                    + MachineDefaults.maxDirectMemory() + " bytes (-XX:MaxDirectMemorySize). The rest is held by "
                    + "buffers taken and not yet returned, or by direct memory used outside this pool.");
            error.initCause(second);
            error.addSuppressed(first);
            throw error;
        }
    }

    /**
     * The calling platform thread's cache, created on first use; {@code null} for virtual threads
     * (so their number does not multiply caches) and when caches are disabled.
     */
    private ThreadCache cacheOf(Thread thread) {
        if (!threadCaches || Threads.isVirtual(thread)) {
            return null;
        }
        ThreadCache cache = caches.current();
        if (cache == null) {
            cache = new ThreadCache(thread, Threads.hash(thread) & shardMask, config.tlsCacheSize(), classes.count());
            reclaim(caches.register(cache));
        }
        return cache;
    }

    private int homeShard(Thread thread, ThreadCache cache) {
        return cache != null ? cache.homeShard() : Threads.hash(thread) & shardMask;
    }

    /**
     * Hands a buffer back. From this call on the buffer belongs to the pool: the caller must not read,
     * write or keep it. Thread-safe.
     *
     * <p>The pool keeps the buffer (in the thread's cache or a shard) or, when it is full, has no size
     * class for it or is closed, drops it to the garbage collector; both are fine for the caller. With
     * {@code clearOnRelease} the buffer is zeroed first.
     *
     * @param buffer a buffer from this pool's {@link #get(int)}, in any position, limit or byte order
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException if it is heap and the pool direct (or the reverse), read-only, or
     *     of a capacity that is no size class of this pool; under {@link Validation#STRICT} also if this
     *     pool did not hand it out (a foreign buffer or a view of a pooled one)
     * @throws IllegalStateException if this thread already put the same buffer and the pool still holds it
     *     ({@link Validation#FAST}); under {@link Validation#STRICT}, if any thread already put it
     */
    public void put(ByteBuffer buffer) {
        if (buffer == null) {
            rejected.increment();
            throw new NullPointerException("buffer must not be null: put() takes a buffer from this pool's get()");
        }
        int stamp = idle.stamp();
        if (stamp == IdleClock.CLOSED) {
            dropOwnCacheAfterClose();
            if (leakDetector != null) {
                leakDetector.untrack(buffer);
            }
            drop(buffer);
            return;
        }
        int sizeClass = validate(buffer);
        Thread thread = Thread.currentThread();
        ThreadCache cache = cacheOf(thread);
        if (cache != null && cache.trimPending(stamp)) {
            cache.trim(idle, stamp, budget).forEach(this::forget); // a trim ran: apply it here, on the owner
        }
        int home = homeShard(thread, cache);
        if (strict != null) {
            checkStrictly(buffer);
        } else if (detectDoublePut && sizeClass >= 0) {
            if (looksParked(buffer) && isHeld(sizeClass, buffer, cache, home)) {
                rejected.increment();
                throw new IllegalStateException("buffer put twice: this thread already returned this buffer "
                        + "(capacity " + buffer.capacity() + ") and the pool still holds it; a buffer is put once "
                        + "per get");
            }
            park(buffer);
        }
        if (leakDetector != null) {
            leakDetector.untrack(buffer);
        }
        if (zeroes != null) {
            zeroes.fill(buffer);
        }
        if (sizeClass < 0) {
            drop(buffer); // zero-size or larger than maxBufferSize: unpooled by design
            return;
        }
        if (cache != null && cache.push(sizeClass, buffer, budget, stamp)) {
            return;
        }
        if (!shards[home].offer(sizeClass, buffer, true, stamp, forget)) {
            drop(buffer);
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
     * for the exact check, an identity scan of the places this thread's puts go (its cache and its home
     * shard, bounded by their sizes). A caller who happens to leave a buffer in that state just pays
     * for the scan; get() restores position, limit and order.
     */
    private static boolean looksParked(ByteBuffer buffer) {
        return buffer.limit() == 0 && buffer.position() == 0 && buffer.order() == ByteOrder.LITTLE_ENDIAN;
    }

    private static void park(ByteBuffer buffer) {
        buffer.limit(0).order(ByteOrder.LITTLE_ENDIAN);
    }

    private boolean isHeld(int sizeClass, ByteBuffer buffer, ThreadCache cache, int home) {
        return (cache != null && cache.holds(sizeClass, buffer)) || shards[home].holds(sizeClass, buffer);
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

    /** Moves the buffers of ended threads' caches to their home shards, or drops them. */
    private void reclaim(List<ThreadCache> ended) {
        for (ThreadCache cache : ended) {
            for (ByteBuffer buffer : cache.drain(budget)) {
                if (closed) {
                    forget(buffer);
                    continue;
                }
                if (!shards[cache.homeShard()].offer(classes.indexOfCapacity(buffer.capacity()), buffer, false,
                        idle.stamp(), forget)) {
                    forget(buffer);
                }
            }
        }
    }

    /** On a closed pool, the calling thread drops what its cache still holds. */
    private void dropOwnCacheAfterClose() {
        ThreadCache cache = threadCaches && !Threads.isVirtual(Thread.currentThread()) ? caches.current() : null;
        if (cache != null) {
            cache.drain(budget).forEach(this::forget);
            caches.forgetCurrent();
        }
    }

    /**
     * Drops the buffers that have been idle in the pool for longer than {@link PoolConfig#idleTimeout()},
     * so that memory taken in a load spike goes back when the spike is over. Also reclaims the caches of
     * threads that have ended. Call it periodically (the Spring Boot starter schedules it).
     *
     * <p>Shards are trimmed at once. Thread caches are trimmed by their owners, on their next call to the
     * pool (the calling thread's at once), because a cache is only ever touched by its owner while the
     * owner lives; a thread that never calls the pool again keeps at most {@code tlsCacheSize} buffers
     * until it ends. Idle time is measured from the trim after the buffer's return, so a buffer is never
     * dropped early, and at most one trim interval late. Thread-safe.
     *
     * @return bytes dropped from the shards by this call
     */
    public long trim() {
        if (closed) {
            return 0;
        }
        reclaim(caches.removeEnded());
        int current = idle.advance();
        long droppedBytes = 0;
        for (Shard shard : shards) {
            for (ByteBuffer idleBuffer : shard.trim(idle, current)) {
                droppedBytes += idleBuffer.capacity();
                forget(idleBuffer);
            }
        }
        ThreadCache own = threadCaches && !Threads.isVirtual(Thread.currentThread()) ? caches.current() : null;
        if (own != null) {
            own.trim(idle, current, budget).forEach(this::forget);
        }
        return droppedBytes;
    }

    /**
     * A snapshot of the pool's counters and contents: cumulative counters, what each shard holds, and
     * per-size-class figures. Thread-safe and cheap: it locks each shard briefly and reads the per-thread
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
        List<ShardStats> shardStats = new ArrayList<>(shards.length);
        long shardKept = 0;
        for (Shard shard : shards) {
            shardStats.add(shard.stats());
            shard.addClassStats(pooled, shardHits, misses, evictions);
            shardKept += shard.kept();
        }
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
     * thread-safe. A {@code put} racing with {@code close} may leave its one buffer in its thread's
     * cache until that thread next calls the pool or ends.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        idle.close();
        for (Shard shard : shards) {
            shard.close().forEach(this::forget);
        }
        reclaim(caches.removeEnded());
        for (ThreadCache cache : caches.snapshot()) {
            cache.abandon(this::forget);
        }
    }

    /** For tests: buffers leak detection is tracking, including collected ones not yet reported. */
    int trackedForLeaks() {
        return leakDetector == null ? 0 : leakDetector.tracked();
    }

    /** For tests: how many per-thread caches this pool has registered. */
    int threadCacheCount() {
        return caches.size();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "BufferPool" + config;
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
        static final int MAX_BUFFERS_PER_SHARD = 1 << 20;
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
         * cache. Default: 2 for up to 2 cpus, 4 for 3-4, 6 for 5-8, 8 from 9.
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
         * fresh, unpooled buffer. Default 64 MiB.
         */
        public Builder maxBufferSize(int bytes) {
            this.maxBufferSize = bytes;
            return this;
        }

        /**
         * Buffers one shard holds at most, over all size classes, in [1, 1048576]. Default: 16 below 16
         * cpus, 32 for 16-23, 48 for 24-31, 64 from 32.
         */
        public Builder maxBuffersPerShard(int buffers) {
            this.maxBuffersPerShard = buffers;
            return this;
        }

        /**
         * Number of shards, a power of two in [1, 1024]. Default: the next power of two at or above
         * cpus, clamped to [4, 128] (4 cpus: 4, 20 cpus: 32).
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
         */
        public Builder pinnedMemory(boolean pinned) {
            this.pinnedMemory = pinned;
            return this;
        }

        /** What a full shard does with a returned buffer. Default {@link EvictionPolicy#CLOCK_PRO}. */
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
            int perShard = maxBuffersPerShard != null ? maxBuffersPerShard : MachineDefaults.maxBuffersPerShard(cpus);
            check("maxBuffersPerShard", perShard, perShard >= 1 && perShard <= MAX_BUFFERS_PER_SHARD,
                    "in [1, " + MAX_BUFFERS_PER_SHARD + "]");
            int shardCount = numShards != null ? numShards : MachineDefaults.numShards(cpus);
            check("numShards", shardCount, isPowerOfTwoIn(shardCount, 1, MAX_SHARDS),
                    "a power of two in [1, " + MAX_SHARDS + "]");
            long bound = maxPooledBytes != null ? maxPooledBytes : MachineDefaults.maxPooledBytes(direct);
            check("maxPooledBytes", bound, bound >= 1, "at least 1");
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
