package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The shard's padded arrays ({@link Shard#PAD}) along every path that moves buffers in bulk: a steal of a
 * batch from one shard to another, a trim of the expired ones, evictions for bytes, statistics and close.
 * Exact buffers, stamps and counts at each step, and the padding untouched. Removing the offset at any one
 * of these places (the eviction's copy of the counts, trim's clearing, the identity search, the drain)
 * makes it fail.
 */
class ShardPaddedPathsTest {

    private final SizeClasses classes = new SizeClasses(4096, 1 << 20);
    private final int small = classes.indexOfCapacity(4096);
    private final int large = classes.indexOfCapacity(8192);
    private final int larger = classes.indexOfCapacity(16384);

    @Test
    void aStolenBatchIsTrimmedAfterTheHomesOlderBuffersAndEvictionTakesItsTop() throws ReflectiveOperationException {
        assertThat(new int[] {small, large, larger}).isSorted().startsWith(0); // CLOCK-Pro's hand goes this way
        ByteBudget budget = new ByteBudget(12 * 4096);
        Shard victim = new Shard(1, 64, classes, budget, EvictionPolicy.CLOCK_PRO);
        Shard home = new Shard(2, 6, classes, budget, EvictionPolicy.CLOCK_PRO);
        AtomicLong now = new AtomicLong();
        IdleClock clock = new IdleClock(now::get, 100);
        List<ByteBuffer> evicted = new ArrayList<>();
        List<ByteBuffer> h = buffers(2, 4096);
        List<ByteBuffer> v = buffers(10, 4096);
        for (ByteBuffer b : h) {
            assertThat(home.offer(small, b, true, clock.stamp(), evicted::add)).isTrue();
        }
        for (ByteBuffer b : v) {
            assertThat(victim.offer(small, b, true, clock.stamp(), evicted::add)).isTrue();
        }
        now.set(50);
        int stolenAt = clock.advance();

        victim.lock();
        home.lock();
        ByteBuffer taken;
        try {
            taken = victim.stealLocked(small, home, stolenAt); // takes v9, moves v5..v8; home grows 4 -> 6 slots
            assertThat(home.holdsOnTopLocked(small, v.get(8))).isTrue();
            assertThat(victim.holdsOnTopLocked(small, v.get(4))).isTrue();
            assertThat(victim.holdsLocked(small, v.get(5))).isFalse();
            assertThat(home.holdsLocked(small, h.get(0))).isTrue();
        } finally {
            home.unlock();
            victim.unlock();
        }
        assertThat(taken).isSameAs(v.get(9));
        assertHolds(home, small, List.of(h.get(0), h.get(1), v.get(5), v.get(6), v.get(7), v.get(8)),
                new int[] {0, 0, stolenAt, stolenAt, stolenAt, stolenAt});
        assertThat(slots(home, small)).as("grown to the count bound, not past it").isEqualTo(6);
        assertHolds(victim, small, v.subList(0, 5), new int[] {0, 0, 0, 0, 0});
        assertThat(budget.reserved()).isEqualTo(11 * 4096);

        now.set(200);
        int trim = clock.advance();
        assertThat(home.trim(clock, trim)).containsExactly(h.get(0), h.get(1));
        assertHolds(home, small, v.subList(5, 9), new int[] {stolenAt, stolenAt, stolenAt, stolenAt});
        assertThat(budget.reserved()).isEqualTo(9 * 4096);

        ByteBuffer sixteen = ByteBuffer.allocate(16384); // 12 KiB available: one 4 KiB victim, the top
        assertThat(home.offer(larger, sixteen, true, trim, evicted::add)).isTrue();
        assertThat(evicted).containsExactly(v.get(8));
        assertHolds(home, small, v.subList(5, 8), new int[] {stolenAt, stolenAt, stolenAt});
        assertHolds(home, larger, List.of(sixteen), new int[] {trim});
        assertThat(budget.reserved()).isEqualTo(budget.limit());

        assertThat(home.offer(larger, ByteBuffer.allocate(16384), true, trim, evicted::add)).isFalse();
        assertThat(evicted).as("no room could be made: nothing evicted").containsExactly(v.get(8));

        ByteBuffer eight = ByteBuffer.allocate(8192); // the hand picks the 16 KiB class (one buffer)
        assertThat(home.offer(large, eight, true, trim, evicted::add)).isTrue();
        assertThat(evicted).containsExactly(v.get(8), sixteen);
        assertHolds(home, larger, List.of(), new int[0]);
        assertHolds(home, large, List.of(eight), new int[] {trim});
        assertThat(home.stats().bytes()).isEqualTo(3 * 4096 + 8192);
        long[] pooled = new long[classes.count()];
        home.lock();
        try {
            home.addClassStatsLocked(pooled, new long[classes.count()], new long[classes.count()],
                    new long[classes.count()]);
        } finally {
            home.unlock();
        }
        assertThat(pooled[small]).isEqualTo(3);
        assertThat(pooled[large]).isEqualTo(1);
        assertThat(pooled[larger]).isZero();
        assertThat(home.close()).containsExactly(v.get(5), v.get(6), v.get(7), eight);
        assertThat(victim.close()).containsExactlyElementsOf(v.subList(0, 5));
        assertThat(budget.reserved()).isZero();
        assertHolds(home, small, List.of(), new int[0]);
        assertHolds(victim, small, List.of(), new int[0]);
    }

    private static List<ByteBuffer> buffers(int n, int size) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ByteBuffer.allocate(size));
        }
        return out;
    }

    /** The class holds exactly {@code expected}, bottom first, with these stamps; padding and the rest empty. */
    private void assertHolds(Shard shard, int sizeClass, List<ByteBuffer> expected, int[] expectedStamps)
            throws ReflectiveOperationException {
        int[] counts = (int[]) read(shard, "counts");
        assertThat(counts[Shard.PAD + sizeClass]).as("count of class %d", sizeClass).isEqualTo(expected.size());
        for (int i = 0; i < Shard.PAD; i++) {
            assertThat(counts[i]).isZero();
            assertThat(counts[Shard.PAD + classes.count() + i]).isZero();
        }
        ByteBuffer[] stack = ((ByteBuffer[][]) read(shard, "stacks"))[sizeClass];
        int[] stamps = ((int[][]) read(shard, "stamps"))[sizeClass];
        if (stack == null) {
            assertThat(expected).isEmpty();
            return;
        }
        assertThat(stamps).hasSameSizeAs(stack);
        for (int i = 0; i < stack.length; i++) {
            int logical = i - Shard.PAD;
            boolean held = logical >= 0 && logical < expected.size();
            assertThat(stack[i]).as("stack element %d of %d", i, stack.length)
                    .isSameAs(held ? expected.get(logical) : null);
            if (held) {
                assertThat(stamps[i]).isEqualTo(expectedStamps[logical]);
            } else if (logical < 0 || logical >= stack.length - 2 * Shard.PAD) {
                assertThat(stamps[i]).as("stamp padding %d", i).isZero();
            }
        }
    }

    private static int slots(Shard shard, int sizeClass) throws ReflectiveOperationException {
        return ((ByteBuffer[][]) read(shard, "stacks"))[sizeClass].length - 2 * Shard.PAD;
    }

    private static Object read(Shard shard, String name) throws ReflectiveOperationException {
        Field field = Shard.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(shard);
    }
}
