package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Candidate: the {@link FloorPool}, the yardstick ZeroPool's targets are stated against. */
@State(Scope.Benchmark)
public class Floor {

    private final FloorPool pool = new FloorPool();

    public void cycle(int size, Blackhole blackhole) {
        ByteBuffer buffer = pool.get(size);
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
        pool.put(buffer);
    }

    /** Takes a buffer of {@code size} bytes and writes both ends; the caller owns it until {@link #give}. */
    public ByteBuffer take(int size) {
        ByteBuffer buffer = pool.get(size);
        Touch.ends(buffer, size);
        return buffer;
    }

    /** Gives back a buffer from {@link #take}, onto the calling thread's stack. */
    public void give(ByteBuffer buffer) {
        pool.put(buffer);
    }
}
