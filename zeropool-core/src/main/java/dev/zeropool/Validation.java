package dev.zeropool;

/**
 * How thoroughly {@link BufferPool#put(java.nio.ByteBuffer)} and {@link BufferPool#get(int)} check for
 * misuse. Whatever the level, the pool checks what protects its own invariants: a buffer of the wrong
 * kind (heap or direct), a read-only buffer, a capacity that is no size class.
 */
public enum Validation {

    /**
     * No double-put detection: the cheapest level, for code already proven under {@link #STRICT}. A
     * buffer put twice can then be handed to two holders.
     */
    OFF,

    /**
     * The default: constant-time checks on the hit path. A buffer the pool keeps is parked in a state
     * {@code get} never hands out (position 0, limit 0, little-endian), so a buffer put twice by the same
     * thread while the pool still holds it is recognised (an identity scan of that thread's cache and of
     * every shard, paid only by a buffer that looks parked). One changed after its put (a {@code clear()},
     * say) no longer looks parked; its second put is still refused when the thread's cache, or the shard a
     * put without a cache goes to, kept that very buffer last. Costs a few nanoseconds per get/put pair.
     */
    FAST,

    /**
     * For tests and staging. Every buffer the pool hands out is tracked (weakly, by identity) with the
     * stack of the {@code get} that took it, and every returned buffer is poisoned (filled with
     * {@code 0xA5}). Catches, with an exception that says what happened and where the buffer was taken:
     * a buffer put twice by any threads; a foreign buffer; a slice or duplicate of a pooled buffer; and a
     * write into a buffer after it was put (the poison is checked when the buffer is handed out again).
     * Costs a lock and a stack capture per get and put, and a pass over the buffer's bytes on each
     * put and reuse: microseconds, growing with the buffer size.
     */
    STRICT
}
