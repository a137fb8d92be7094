package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random offers, takes and drains against a shard and a tier, with small budgets, count bounds and credit
 * chunks, both eviction policies, a seed per case (named in every failure). After each step the books
 * must balance: the budget's reservations are exactly what the shards hold plus their credit (plus what
 * the test itself reserved), credit stays within two chunks, every buffer is held once, and a refused
 * offer has evicted nothing (eviction picks its victims first and evicts only once the room is certain).
 */
class ShardAccountingFuzzTest {

    private final SizeClasses classes = new SizeClasses(4096, 1 << 16);

    @Test
    void aShardsBooksBalanceAfterEveryStep() {
        for (long seed = 0; seed < 3000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            long limit = 4096L * (1 + random.nextInt(40));
            ByteBudget budget = new ByteBudget(limit);
            long chunk = random.nextBoolean() ? 0 : 4096L * random.nextInt(4);
            int bound = 1 + random.nextInt(8);
            EvictionPolicy policy = random.nextInt(4) == 0 ? EvictionPolicy.LIFO : EvictionPolicy.CLOCK_PRO;
            Shard shard = new Shard(0, bound, classes, budget, policy, chunk);
            Set<ByteBuffer> held = identitySet();
            long reservedElsewhere = 0; // what another part of the pool holds of the budget
            for (int step = 0; step < 200; step++) {
                String at = "seed " + seed + " step " + step + " (" + policy + ", chunk " + chunk + ", bound " + bound + ")";
                int sizeClass = random.nextInt(classes.count());
                int action = random.nextInt(10);
                if (action < 5) {
                    offer(buffer -> shard.offer(sizeClass, buffer, true, 0, buffer2 -> evictedFrom(held, buffer2, at)),
                            sizeClass, held, at);
                } else if (action < 8) {
                    takeInto(shard.take(sizeClass), held, at);
                } else if (action == 8) {
                    long bytes = 4096L * random.nextInt(4);
                    if (budget.tryReserveNow(bytes)) {
                        reservedElsewhere += bytes;
                    }
                } else {
                    budget.release(reservedElsewhere);
                    reservedElsewhere = 0;
                }
                long credit = shard.credit();
                ShardStats stats = shard.stats();
                assertThat(credit).as("credit, " + at).isBetween(0L, 2 * chunk);
                assertThat(budget.reserved()).as("reserved, " + at).isEqualTo(reservedElsewhere + stats.bytes() + credit)
                        .isLessThanOrEqualTo(limit);
                assertThat(stats.buffers()).as("buffers, " + at).isEqualTo(held.size()).isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void aTiersBooksBalanceAfterEveryStepOfOffersTakesStealsAndDrains() {
        for (long seed = 0; seed < 1500; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int shards = 1 << random.nextInt(3);
            long limit = 4096L * (4 + random.nextInt(60));
            PoolConfig config = BufferPool.builder().numShards(shards).minBufferSize(4096).maxBufferSize(1 << 16)
                    .maxPooledBytes(limit).maxBuffersPerShard(1 + random.nextInt(6))
                    .evictionPolicy(random.nextInt(4) == 0 ? EvictionPolicy.LIFO : EvictionPolicy.CLOCK_PRO).toConfig();
            ByteBudget budget = new ByteBudget(limit);
            List<ByteBuffer> evicted = new ArrayList<>();
            SharedTier tier = new SharedTier(config, classes, budget, evicted::add);
            Set<ByteBuffer> held = identitySet();
            for (int step = 0; step < 300; step++) {
                String at = "seed " + seed + " step " + step;
                int sizeClass = random.nextInt(classes.count());
                int home = random.nextInt(shards);
                int action = random.nextInt(10);
                if (action < 5) {
                    evicted.clear();
                    boolean kept = offer(buffer -> tier.offer(sizeClass, buffer, home, 0, true), sizeClass, held, at);
                    assertThat(kept || evicted.isEmpty()).as("evicted for a buffer then dropped, " + at).isTrue();
                    evicted.forEach(buffer -> evictedFrom(held, buffer, at));
                } else if (action < 9) {
                    takeInto(tier.take(sizeClass, home, 0), held, at); // a steal when home has none
                } else {
                    tier.drain(buffer -> assertThat(held.remove(buffer)).as("drained, " + at).isTrue());
                }
                long reserved = 0;
                int buffers = 0;
                for (int i = 0; i < shards; i++) {
                    Shard shard = tier.shard(i);
                    long credit = shard.credit();
                    assertThat(credit).as("credit of shard " + i + ", " + at).isBetween(0L, 2 * tier.creditChunk());
                    reserved += shard.stats().bytes() + credit;
                    buffers += shard.stats().buffers();
                }
                assertThat(budget.reserved()).as("reserved, " + at).isEqualTo(reserved);
                assertThat(buffers).as("buffers, " + at).isEqualTo(held.size());
            }
        }
    }

    /** Offers a fresh buffer of the class; a kept one joins {@code held}. @return whether it was kept */
    private boolean offer(java.util.function.Predicate<ByteBuffer> offer, int sizeClass, Set<ByteBuffer> held,
                          String at) {
        ByteBuffer buffer = ByteBuffer.allocate(classes.capacity(sizeClass));
        int before = held.size();
        boolean kept = offer.test(buffer);
        if (kept) {
            held.add(buffer);
        } else {
            assertThat(held).as("evicted for a buffer then dropped, " + at).hasSize(before);
        }
        return kept;
    }

    private static void evictedFrom(Set<ByteBuffer> held, ByteBuffer buffer, String at) {
        assertThat(held.remove(buffer)).as("evicted a buffer the shard did not hold, " + at).isTrue();
    }

    private static void takeInto(ByteBuffer taken, Set<ByteBuffer> held, String at) {
        if (taken != null) {
            assertThat(held.remove(taken)).as("took a buffer not held, or held twice, " + at).isTrue();
        }
    }

    private static Set<ByteBuffer> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
