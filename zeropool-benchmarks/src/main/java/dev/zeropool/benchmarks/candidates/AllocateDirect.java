package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: no pool, {@link ByteBuffer#allocateDirect} per operation, freed when the GC gets round to
 * its Cleaner. Pays for direct-memory reservation, zeroing and the Cleaner on every call, and, once the
 * direct-memory limit is near, for the {@code System.gc()} and wait that {@code allocateDirect} does.
 */
@State(Scope.Benchmark)
public class AllocateDirect {

    public void cycle(int size, Blackhole blackhole) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
    }
}
