package dev.zeropool;

import java.nio.ByteBuffer;

/**
 * Locks direct memory in RAM and unlocks it. Implementations are thread-safe.
 */
interface MemoryLocker {

    /** @return the page size that lock granularity follows, in bytes */
    int pageSize();

    /**
     * Locks a direct buffer's pages.
     *
     * @return {@code null} when locked, otherwise why not (for the one log line the pool writes)
     */
    String lock(ByteBuffer buffer);

    /** Unlocks a buffer this locker locked. Failures are ignored: the memory stays usable either way. */
    void unlock(ByteBuffer buffer);

    /** A locker for platforms without mlock: every lock fails with the given reason. */
    static MemoryLocker unavailable(String reason) {
        return new MemoryLocker() {
            @Override
            public int pageSize() {
                return 4096;
            }

            @Override
            public String lock(ByteBuffer buffer) {
                return reason;
            }

            @Override
            public void unlock(ByteBuffer buffer) {
                // nothing was locked
            }
        };
    }

    /**
     * The best locker this JVM offers: mlock through JNA when JNA is present and the C library
     * loads, otherwise one that explains why pinning is unavailable.
     */
    static MemoryLocker load() {
        try {
            return JnaMemoryLocker.create();
        } catch (LinkageError | RuntimeException e) {
            // NoClassDefFoundError when JNA is absent, UnsatisfiedLinkError when libc has no mlock.
            return unavailable("mlock is not available (" + e + "); add net.java.dev.jna:jna to pin on Linux");
        }
    }
}
