package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: the pool a team writes in an afternoon: Apache Commons Pool2's
 * {@link GenericKeyedObjectPool}, keyed by requested size, creating {@code allocateDirect} buffers,
 * default configuration (up to 8 idle buffers per key, borrow blocks when exhausted). It shows what a
 * general-purpose object pool (a deque per key, per-object state tracking and timestamps) costs for
 * buffers.
 */
@State(Scope.Benchmark)
public class CommonsPool2 {

    private GenericKeyedObjectPool<Integer, ByteBuffer> pool;
    private Integer key = 0; // boxed once per size, so the harness itself allocates nothing per operation

    @Setup(Level.Trial)
    public void open() {
        pool = new GenericKeyedObjectPool<>(new BaseKeyedPooledObjectFactory<>() {
            @Override
            public ByteBuffer create(Integer size) {
                return ByteBuffer.allocateDirect(size);
            }

            @Override
            public PooledObject<ByteBuffer> wrap(ByteBuffer buffer) {
                return new DefaultPooledObject<>(buffer);
            }
        });
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
    }

    public void cycle(int size, Blackhole blackhole) throws Exception {
        Integer key = this.key;
        if (key != size) {
            key = size;
            this.key = key;
        }
        ByteBuffer buffer = pool.borrowObject(key);
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
        pool.returnObject(key, buffer);
    }
}
