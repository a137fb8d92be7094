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
     * The thread's id, truncated to an {@code int}: what picks its cache slot and, without a cache, its
     * home shard. Ids are handed out one after another as threads are created, so threads created
     * together (a pool's workers, a burst of virtual threads) take consecutive slots and shards, and
     * live threads meet in a slot only when their ids are a multiple of the slot count apart. The
     * multiplicative hash used before spread a short run as well, but 1024 threads in a row left a sixth
     * of them sharing a slot, and it was three more instructions on both {@code get} and {@code put}.
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() only exists from JDK 19
    static int hash(Thread thread) {
        return (int) thread.getId();
    }
}
