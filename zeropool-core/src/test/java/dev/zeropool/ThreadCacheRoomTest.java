package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A thread cache reserves budget per size class as room: slots whose bytes it holds, kept when a
 * buffer leaves so the next put of the class needs no reservation. Room a class does not use moves
 * to another class when the cache has no slot left to reserve, and goes back to the budget at a trim.
 */
class ThreadCacheRoomTest {

    private static final int SMALL = 4096;
    private static final int LARGE = 8192;
    private static final int SMALL_CLASS = 0;
    private static final int LARGE_CLASS = 1;

    private final ByteBudget budget = new ByteBudget(1 << 20);
    private final ThreadCache cache = new ThreadCache(Thread.currentThread(), 0, 2, 2, 0, 0, 1);

    @Test
    void aGetAndPutOfOneClassReserveOnlyOnce() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(SMALL);
        assertThat(cache.push(SMALL_CLASS, buffer, budget, 0)).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(cache.pop(SMALL_CLASS)).isSameAs(buffer);
            assertThat(budget.reserved()).as("the slot stays reserved while its buffer is out").isEqualTo(SMALL);
            assertThat(cache.push(SMALL_CLASS, buffer, budget, 0)).isTrue();
        }
        assertThat(budget.reserved()).isEqualTo(SMALL);
    }

    @Test
    void aClassWithoutRoomTakesTheUnusedRoomOfAnother() {
        ByteBuffer first = ByteBuffer.allocateDirect(SMALL);
        ByteBuffer second = ByteBuffer.allocateDirect(SMALL);
        assertThat(cache.push(SMALL_CLASS, first, budget, 0)).isTrue();
        assertThat(cache.push(SMALL_CLASS, second, budget, 0)).isTrue();
        assertThat(cache.pop(SMALL_CLASS)).isSameAs(second); // both slots are the small class's room now

        ByteBuffer large = ByteBuffer.allocateDirect(LARGE);
        assertThat(cache.push(LARGE_CLASS, large, budget, 0)).as("the small class's unused slot moves").isTrue();
        assertThat(budget.reserved()).as("its bytes count towards the large buffer: only the difference is reserved")
                .isEqualTo(SMALL + LARGE);

        assertThat(cache.push(SMALL_CLASS, second, budget, 0)).as("both slots hold a buffer: the cache is full")
                .isFalse();
        assertThat(budget.reserved()).isEqualTo(SMALL + LARGE);
        assertThat(cache.pop(LARGE_CLASS)).isSameAs(large);
        assertThat(cache.pop(SMALL_CLASS)).isSameAs(first);
    }

    @Test
    void aTrimGivesBackTheRoomOfBuffersOutOnLoan() {
        IdleClock clock = new IdleClock(() -> 0L, 1_000_000_000L); // no time passes: nothing expires
        ByteBuffer kept = ByteBuffer.allocateDirect(SMALL);
        ByteBuffer lent = ByteBuffer.allocateDirect(SMALL);
        cache.push(SMALL_CLASS, kept, budget, 0);
        cache.push(SMALL_CLASS, lent, budget, 0);
        assertThat(cache.pop(SMALL_CLASS)).isSameAs(lent);

        assertThat(cache.trim(clock, 0, budget)).as("the kept buffer is not idle yet").isEmpty();
        assertThat(budget.reserved()).as("only the buffer still cached stays reserved").isEqualTo(SMALL);

        assertThat(cache.push(SMALL_CLASS, lent, budget, 0)).as("its return reserves again").isTrue();
        assertThat(budget.reserved()).isEqualTo(2L * SMALL);
    }
}
