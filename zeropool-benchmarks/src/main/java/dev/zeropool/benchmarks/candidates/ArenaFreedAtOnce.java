package dev.zeropool.benchmarks.candidates;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: "allocateDirect, freed at once". The JDK has no public way to free a
 * {@code ByteBuffer.allocateDirect} buffer early (only {@code sun.misc.Unsafe.invokeCleaner} and
 * internal APIs, which this project does not use). Its public equivalent is the Foreign Memory API
 * (final in JDK 22): {@code Arena.ofConfined().allocate(size).asByteBuffer()} does what
 * {@code allocateDirect} does (reserve against {@code -XX:MaxDirectMemorySize}, malloc, zero) and
 * {@code arena.close()} frees the memory immediately, with no GC involved. So this measures
 * allocate + zero + free per operation, the best that allocation without pooling can do.
 *
 * <p>The module compiles for Java 17, so the API is reached through method handles (constant, so the
 * JIT inlines them). On JDKs before 22 the setup fails with a message saying so; {@code run-all.sh}
 * leaves this candidate out there.
 */
@State(Scope.Benchmark)
public class ArenaFreedAtOnce {

    private static final MethodHandle OPEN;
    private static final MethodHandle ALLOCATE;
    private static final MethodHandle AS_BYTE_BUFFER;
    private static final MethodHandle CLOSE;
    private static final String UNAVAILABLE;

    static {
        MethodHandle open = null;
        MethodHandle allocate = null;
        MethodHandle asByteBuffer = null;
        MethodHandle close = null;
        String unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            if (Runtime.version().feature() < 22) {
                throw new ClassNotFoundException("java.lang.foreign is a preview before JDK 22");
            }
            open = lookup.findStatic(arena, "ofConfined", MethodType.methodType(arena))
                    .asType(MethodType.methodType(Object.class));
            allocate = lookup.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class))
                    .asType(MethodType.methodType(Object.class, Object.class, long.class));
            asByteBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                    .asType(MethodType.methodType(ByteBuffer.class, Object.class));
            close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException e) {
            unavailable = "allocateDirect freed at once needs the Foreign Memory API of JDK 22+ (running "
                    + Runtime.version() + "): " + e.getMessage();
        }
        OPEN = open;
        ALLOCATE = allocate;
        AS_BYTE_BUFFER = asByteBuffer;
        CLOSE = close;
        UNAVAILABLE = unavailable;
    }

    @Setup(Level.Trial)
    public void check() {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
    }

    public void cycle(int size, Blackhole blackhole) {
        try {
            Object arena = (Object) OPEN.invokeExact();
            try {
                ByteBuffer buffer = (ByteBuffer) AS_BYTE_BUFFER.invokeExact((Object) ALLOCATE.invokeExact(arena, (long) size));
                Touch.ends(buffer, size);
                blackhole.consume(buffer);
            } finally {
                CLOSE.invokeExact(arena);
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
