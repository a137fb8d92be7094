package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Trims are numbered modulo 2^30. A pool trimmed every millisecond reaches 2^31 trims in 25 days; counted
 * in a plain {@code int}, its stamp would then have become {@link IdleClock#CLOSED} (the pool refusing
 * every call as closed) and then the negative markers of a revoked or busy thread-cache lease. These tests
 * start a clock just below the wrap and follow stamps, idle times and leases across it.
 */
class IdleClockWrapTest {

    private static final long TIMEOUT = 10;

    private final AtomicLong now = new AtomicLong();
    private final IdleClock clock = new IdleClock(now::get, TIMEOUT, IdleClock.TRIM_MASK - 2);

    @Test
    void stampsStayNonNegativeAndNeverReadAsClosed() {
        int previous = clock.stamp();
        for (int i = 0; i < 6; i++) {
            int trim = advance(1);
            assertThat(trim).isNotNegative().isNotEqualTo(IdleClock.CLOSED);
            assertThat(IdleClock.trimsBetween(previous, trim)).isEqualTo(1);
            previous = trim;
        }
        assertThat(previous).as("wrapped to a small number").isEqualTo(3);
    }

    @Test
    void aBufferReturnedBeforeTheWrapExpiresAfterItOnTime() {
        int returnedAt = clock.stamp(); // TRIM_MASK - 2
        int trim = advance(TIMEOUT - 1); // TRIM_MASK - 1: the first trim after the return
        assertThat(clock.expired(returnedAt, trim)).as("idle time counts from the trim after the return").isFalse();
        trim = advance(TIMEOUT - 1); // TRIM_MASK
        assertThat(clock.expired(returnedAt, trim)).isFalse();
        trim = advance(1); // 0: past the wrap, TIMEOUT since the first trim after the return
        assertThat(trim).isZero();
        assertThat(clock.expired(returnedAt, trim)).isTrue();
        assertThat(clock.expired(trim, trim)).as("returned after the latest trim").isFalse();
    }

    @Test
    void anIdleThreadCacheIsRevokedAcrossTheWrapAndAnActiveOneKeepsItsLease() {
        ByteBudget budget = new ByteBudget(1 << 20);
        int start = clock.stamp();
        ThreadCache idle = new ThreadCache(new Thread(() -> { }), 0, 2, 1, start, 0, 1);
        ThreadCache active = new ThreadCache(Thread.currentThread(), 0, 2, 1, start, 0, 1);
        assertThat(active.push(0, ByteBuffer.allocateDirect(4096), budget, start)).isTrue();
        assertThat(idle.push(0, ByteBuffer.allocateDirect(4096), budget, start)).isTrue();

        int trim = advance(TIMEOUT); // TRIM_MASK - 1
        assertThat(idle.revokeIfIdle(clock, trim, budget)).as("one trim since its last call").isEmpty();
        assertThat(active.renewLease(trim)).isTrue();
        trim = advance(TIMEOUT); // TRIM_MASK
        assertThat(active.renewLease(trim)).isTrue();
        trim = advance(TIMEOUT); // 0
        assertThat(active.renewLease(trim)).isTrue();
        assertThat(active.leaseCurrent(trim)).isTrue();

        assertThat(idle.revokeIfIdle(clock, trim, budget)).as("idle for three trims, across the wrap").hasSize(1);
        assertThat(idle.revoked()).isTrue();
        assertThat(active.revokeIfIdle(clock, trim, budget)).isEmpty();
        assertThat(active.revoked()).isFalse();
    }

    private int advance(long nanos) {
        now.addAndGet(nanos);
        return clock.advance();
    }
}
