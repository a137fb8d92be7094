package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferLeaseTest {

    private final BufferPool pool = BufferPool.builder().minBufferSize(4096).maxBufferSize(1 << 20)
            .leakDetection(LeakDetection.OFF).build();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aLeaseHoldsTheBufferGetWouldHaveGivenAndClosingHandsItBackOnce() {
        ByteBuffer taken;
        try (BufferLease lease = pool.lease(5000)) {
            taken = lease.buffer();
            assertThat(lease.buffer()).isSameAs(taken);
            assertThat(taken.position()).isZero();
            assertThat(taken.limit()).isEqualTo(5000);
            assertThat(taken.capacity()).isEqualTo(5120);
            assertThat(taken.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
            assertThat(lease.isClosed()).isFalse();
        }
        PoolStats stats = pool.stats();
        assertThat(stats.gets()).isEqualTo(1);
        assertThat(stats.puts()).isEqualTo(1);
        assertThat(stats.kept()).isEqualTo(1);
        assertThat(pool.get(5000)).isSameAs(taken); // it really went back
    }

    @Test
    void closingTwiceDoesNothingTheSecondTime() {
        BufferLease lease = pool.lease(8192);
        lease.close();
        lease.close();
        assertThat(lease.isClosed()).isTrue();
        assertThat(pool.stats().puts()).isEqualTo(1);
        assertThat(pool.stats().rejected()).isZero();
    }

    @Test
    void theBufferIsRefusedAfterCloseWithAMessageSayingWhy() {
        BufferLease lease = pool.lease(8192);
        lease.close();
        assertThatThrownBy(lease::buffer).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BufferLease is closed")
                .hasMessageContaining("capacity 8192")
                .hasMessageContaining("lease(size)");
        assertThat(lease).hasToString("BufferLease[capacity 8192, closed]");
    }

    @Test
    void anExceptionInTheBodyStillHandsTheBufferBack() {
        assertThatThrownBy(() -> {
            try (BufferLease lease = pool.lease(4096)) {
                lease.buffer().putInt(42);
                throw new IllegalStateException("the read failed");
            }
        }).hasMessage("the read failed");
        assertThat(pool.stats().puts()).isEqualTo(1);
        assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
    }

    @Test
    void aLeaseClosedOnAnotherThreadHandsTheBufferBackThere() throws Exception {
        BufferLease lease = pool.lease(4096);
        CompletableFuture.runAsync(lease::close).get();
        assertThat(lease.isClosed()).isTrue();
        assertThat(pool.stats().puts()).isEqualTo(1);
        assertThat(pool.stats().pooledBuffers()).isEqualTo(1);
    }

    @Test
    void sizesOutsideThePooledRangeLeaseFreshBuffersAndBadSizesLeaseNothing() {
        try (BufferLease lease = pool.lease(2 << 20)) {
            assertThat(lease.buffer().capacity()).isEqualTo(2 << 20);
        }
        assertThatThrownBy(() -> pool.lease(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -1");
        PoolStats stats = pool.stats();
        assertThat(stats.pooledBuffers()).isZero(); // the unpooled buffer was dropped, not kept
        assertThat(stats.dropped()).isEqualTo(1);
        assertThat(stats.rejected()).isZero(); // a refused lease is a refused get: no put to count
        assertThat(stats.puts()).isEqualTo(1);
    }

    @Test
    void aLeaseOnAClosedPoolIsRefusedAndOneClosedAfterThePoolIsDropped() {
        BufferLease open = pool.lease(4096);
        pool.close();
        assertThatThrownBy(() -> pool.lease(4096)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        open.close();
        assertThat(open.isClosed()).isTrue();
        assertThat(pool.stats().pooledBuffers()).isZero();
    }

    @Test
    void aMisusedBufferIsNotHandedBackTwiceWhenTheLeaseIsClosedAgain() {
        BufferLease lease = pool.lease(4096);
        pool.put(lease.buffer()); // misuse: the holder put it directly
        assertThatThrownBy(lease::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("put twice");
        lease.close(); // already closed: no second attempt
        PoolStats stats = pool.stats();
        assertThat(stats.puts()).isEqualTo(2); // puts == kept + dropped + rejected
        assertThat(stats.kept()).isEqualTo(1);
        assertThat(stats.rejected()).isEqualTo(1);
    }
}
