package dev.zeropool.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Reaches {@code Thread.ofVirtual().factory()} at run time: the module compiles for Java 17, which has
 * no virtual threads (they are final in JDK 21; in 19 and 20 they are a preview that is off by default).
 */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /**
     * @return a factory of unstarted virtual threads
     * @throws UnsupportedOperationException before JDK 21, saying so
     */
    static ThreadFactory factory() {
        if (Runtime.version().feature() < 21) {
            throw new UnsupportedOperationException("virtual threads need JDK 21+ (running " + Runtime.version() + ")");
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle newBuilder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(newBuilder.invoke());
        } catch (Throwable e) {
            throw new UnsupportedOperationException("virtual threads unavailable on " + Runtime.version(), e);
        }
    }
}
