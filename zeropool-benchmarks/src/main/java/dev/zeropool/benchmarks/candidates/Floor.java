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
}
