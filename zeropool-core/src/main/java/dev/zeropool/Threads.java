package dev.zeropool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Thread facts the pool needs, through public APIs only, on JDK 17 and later. Stateless. */
final class Threads {

    /** {@code Thread.isVirtual()} on JDK 21+, absent on 17. */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private Threads() {
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    /**
     * A well-spread hash of the thread's id, so consecutive ids land on different shards.
     * Fibonacci hashing: the golden-ratio multiplier spreads sequential ids over the high bits.
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() only exists from JDK 19
    static int hash(Thread thread) {
        return (int) ((thread.getId() * 0x9E3779B97F4A7C15L) >>> 32);
    }
}
