/**
 * ZeroPool: a bounded, observable pool of {@link java.nio.ByteBuffer}s whose {@code get}/{@code put}
 * cost nanoseconds at any size. The only exported package is {@code dev.zeropool}.
 */
module dev.zeropool {
    exports dev.zeropool;

    requires java.management;
    // Optional: reads -XX:MaxDirectMemorySize for the default memory bound; falls back to the heap max.
    requires static jdk.management;
    // Optional: mlock/munlock for pinnedMemory(true); without it pinning falls back gracefully.
    requires static com.sun.jna;
}
