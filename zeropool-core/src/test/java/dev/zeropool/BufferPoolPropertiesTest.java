package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of get, put, double put, stats and close, checked against a simple model: what
 * the caller holds, what it has returned, and what the pool promised about both.
 */
class BufferPoolPropertiesTest {

    /** One step: an operation and its argument (a size, or which held buffer). */
    record Step(String op, int arg) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> get = Arbitraries.integers().between(0, 300_000).map(size -> new Step("get", size));
        Arbitrary<Step> put = Arbitraries.integers().between(0, 1000).map(i -> new Step("put", i));
        Arbitrary<Step> putAgain = Arbitraries.integers().between(0, 1000).map(i -> new Step("putAgain", i));
        Arbitrary<Step> close = Arbitraries.just(new Step("close", 0));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, get),
                net.jqwik.api.Tuple.of(9, put),
                net.jqwik.api.Tuple.of(1, putAgain),
                net.jqwik.api.Tuple.of(1, close)).list().ofMaxSize(120);
    }

    @Provide
    Arbitrary<BufferPool.Builder> builders() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, 6),
                Arbitraries.of(1, 2, 4),
                Arbitraries.longs().between(4096, 2_000_000),
                Arbitraries.of(EvictionPolicy.class)).as((tls, perShard, shards, bound, policy) ->
                        BufferPool.builder().tlsCacheSize(tls).maxBuffersPerShard(perShard).numShards(shards)
                                .maxPooledBytes(bound).evictionPolicy(policy).minBufferSize(4096)
                                .maxBufferSize(1 << 18));
    }

    /** Removes this very buffer: {@code List.remove} would compare content ({@code ByteBuffer.equals}). */
    private static void removeSame(List<ByteBuffer> buffers, ByteBuffer buffer) {
        buffers.removeIf(candidate -> candidate == buffer);
    }

    @Property(tries = 300)
    void thePoolKeepsItsPromisesUnderAnySequence(@ForAll("builders") BufferPool.Builder builder,
                                                 @ForAll("steps") List<Step> steps) {
        BufferPool pool = builder.build();
        PoolConfig config = pool.config();
        List<ByteBuffer> held = new ArrayList<>();
        List<ByteBuffer> returned = new ArrayList<>();
        Map<ByteBuffer, Boolean> holding = new IdentityHashMap<>();
        long gets = 0;
        long puts = 0;
        long rejected = 0;
        boolean closed = false;
        try {
            for (Step step : steps) {
                switch (step.op()) {
                    case "get" -> {
                        if (closed) {
                            assertThatThrownBy(() -> pool.get(step.arg())).isInstanceOf(IllegalStateException.class);
                            continue;
                        }
                        ByteBuffer buffer = pool.get(step.arg());
                        gets++;
                        assertThat(holding.put(buffer, true)).as("handed to two holders").isNull();
                        assertThat(buffer.limit()).isEqualTo(step.arg());
                        assertThat(buffer.position()).isZero();
                        assertThat(buffer.capacity()).isGreaterThanOrEqualTo(step.arg());
                        if (step.arg() > 0 && step.arg() <= config.maxBufferSize()) {
                            int sampledByte = pool.originalOfSampled(buffer) != null ? 1 : 0; // a spare's view
                            assertThat(buffer.capacity()).isLessThanOrEqualTo(
                                    Math.max(config.minBufferSize(), (int) Math.ceil(step.arg() * 1.25)) + sampledByte);
                        }
                        held.add(buffer);
                        removeSame(returned, buffer);
                    }
                    case "put" -> {
                        if (held.isEmpty()) {
                            continue;
                        }
                        ByteBuffer buffer = held.remove(step.arg() % held.size());
                        holding.remove(buffer);
                        pool.put(buffer);
                        puts++;
                        returned.add(buffer);
                    }
                    case "putAgain" -> {
                        if (returned.isEmpty() || closed) {
                            continue;
                        }
                        ByteBuffer buffer = returned.get(step.arg() % returned.size());
                        puts++;
                        try {
                            pool.put(buffer); // the pool may already have dropped it: then it is a plain put
                        } catch (IllegalStateException expected) {
                            rejected++;
                        }
                    }
                    case "close" -> {
                        pool.close();
                        closed = true;
                    }
                    default -> throw new IllegalStateException(step.op());
                }
                PoolStats stats = pool.stats();
                assertThat(stats.gets()).isEqualTo(gets);
                assertThat(stats.gets()).isEqualTo(stats.tlsHits() + stats.shardHits() + stats.misses());
                assertThat(stats.puts()).isEqualTo(puts);
                assertThat(stats.rejected()).isEqualTo(rejected);
                assertThat(stats.pooledBytes()).isLessThanOrEqualTo(config.maxPooledBytes());
                assertThat(stats.kept()).isGreaterThanOrEqualTo(stats.pooledBuffers());
                for (ShardStats shard : stats.shards()) {
                    assertThat(shard.buffers()).isLessThanOrEqualTo(shard.capacity());
                }
                assertThat(stats.sizeClasses().stream().mapToLong(SizeClassStats::pooledBuffers).sum())
                        .isEqualTo(stats.pooledBuffers());
                if (closed) {
                    assertThat(stats.pooledBuffers()).isZero();
                }
            }
        } finally {
            pool.close();
        }
    }
}
