package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Leak detection's idle spares: kept while the budget has room, given back on close, and never after. */
class SampledSparesTest {

    private final ByteBudget budget = new ByteBudget(1 << 20);
    private final SampledSpares spares = new SampledSpares(new SizeClasses(4096, 1 << 16), budget);

    @Test
    void aSpareIsKeptWithItsBytesInTheBudgetAndTakenWithThemReleased() {
        ByteBuffer spare = ByteBuffer.allocateDirect(spares.capacity(0));
        assertThat(spares.keep(0, spare, 0)).isTrue();
        assertThat(budget.reserved()).isEqualTo(spare.capacity());
        assertThat(spares.take(0)).isSameAs(spare);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void afterCloseNoSpareIsKeptNotEvenOneThatComesBackLate() {
        assertThat(spares.keep(0, ByteBuffer.allocateDirect(spares.capacity(0)), 0)).isTrue();
        assertThat(spares.close()).as("spares dropped by close").hasSize(1);

        // a sampled view's put that found the pool open just before close(), keeping its spare just after
        assertThat(spares.keep(0, ByteBuffer.allocateDirect(spares.capacity(0)), 0)).isFalse();
        assertThat(spares.idleCount()).isZero();
        assertThat(spares.take(0)).isNull();
        assertThat(budget.reserved()).as("bytes a closed pool's spares hold").isZero();
    }
}
