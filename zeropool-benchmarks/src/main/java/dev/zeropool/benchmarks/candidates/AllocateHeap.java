package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: no pool, {@link ByteBuffer#allocate} per operation. Cheap for small sizes (TLAB bump and
 * zeroing), but large arrays go straight to the old generation and every byte is zeroed; channel I/O
 * with a heap buffer also copies through a temporary direct buffer, which this benchmark does not
 * charge (the checkpoint benchmark does).
 */
@State(Scope.Benchmark)
public class AllocateHeap {

    public void cycle(int size, Blackhole blackhole) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
    }
}
