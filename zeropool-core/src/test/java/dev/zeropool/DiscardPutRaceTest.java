package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Under STRICT, a discard and a put of the same buffer at once must not both succeed (STRICT's promise
 * for two puts): both succeeding would pool a buffer that discard gave up. The discard is held between
 * its check and the removal of the record (by holding the lock of the table stripe that removal needs,
 * found by reflection: the window is too narrow for a stress test to find), and the put runs there. It
 * failed while the discard checked the record and marked nothing before removing it.
 */
class DiscardPutRaceTest {

    @Test
    void underStrictADiscardAndAPutOfOneBufferAtOnceDoNotBothSucceed() throws Exception {
        try (BufferPool pool = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.OFF)
                .build()) {
            ByteBuffer buffer = pool.get(4096);
            Object stripe = stripeOf(pool, buffer);
            AtomicReference<Throwable> discardFailure = new AtomicReference<>();
            Thread discarder = new Thread(() -> {
                try {
                    pool.discard(buffer);
                } catch (Throwable t) {
                    discardFailure.set(t);
                }
            });
            Throwable putFailure = null;
            synchronized (stripe) {
                discarder.start();
                while (discarder.getState() != Thread.State.BLOCKED) { // past the pooled check, in table.remove
                    Thread.onSpinWait();
                }
                try {
                    pool.put(buffer);
                } catch (Throwable t) {
                    putFailure = t;
                }
            }
            discarder.join();

            assertThat(putFailure == null && discardFailure.get() == null)
                    .as("both the put and the discard succeeded; the pool holds a discarded buffer STRICT no longer "
                            + "tracks (next get hands it out: %s)", pool.get(4096) == buffer)
                    .isFalse();
        }
    }

    private static Object stripeOf(BufferPool pool, ByteBuffer buffer) throws Exception {
        Object strict = field(BufferPool.class, "strict").get(pool);
        Object table = field(StrictValidator.class, "table").get(strict);
        Object[] stripes = (Object[]) field(WeakIdentityTable.class, "stripes").get(table);
        int bucket = System.identityHashCode(buffer) & (1024 - 1);
        return stripes[bucket & (stripes.length - 1)];
    }

    private static Field field(Class<?> type, String name) throws Exception {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
