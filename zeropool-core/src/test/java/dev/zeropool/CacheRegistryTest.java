package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The registry's slot array is only a shortcut past the {@code ThreadLocal}: two live threads whose
 * slots collide (only the first to register holds the slot) still each find their own cache.
 */
class CacheRegistryTest {

    @Test
    void threadsWhoseSlotsCollideAreEachServedFromTheirOwnCache() throws Exception {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(2).leakDetection(LeakDetection.OFF).build()) {
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch bothWarm = new CountDownLatch(2);
            Thread[] pair = collidingPair(() -> {
                try {
                    ByteBuffer own = pool.get(4096);
                    pool.put(own);
                    bothWarm.countDown();
                    bothWarm.await(); // both caches registered, both threads alive: one holds the slot
                    for (int i = 0; i < 1000; i++) {
                        ByteBuffer buffer = pool.get(4096);
                        assertThat(buffer).isSameAs(own); // never the other thread's buffer
                        pool.put(buffer);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            for (Thread thread : pair) {
                thread.start();
            }
            for (Thread thread : pair) {
                thread.join();
            }
            assertThat(failures).isEmpty();
            PoolStats stats = pool.stats();
            assertThat(stats.tlsHits()).isEqualTo(2000);
            assertThat(stats.misses()).isEqualTo(2);
        }
    }

    @Test
    void newCachesAreHomedOnTheLeastLoadedShardsWhateverTheirHashes() {
        CacheRegistry registry = new CacheRegistry(4, 8, true);
        java.util.Set<Integer> homes = new java.util.HashSet<>();
        for (int i = 0; i < 8; i++) {
            homes.add(registry.chooseHome(42)); // the same hash eight times: eight different shards
        }
        assertThat(homes).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(registry.chooseHome(42)).isEqualTo(42 & 7); // all equal again: the hashed one first
    }

    @Test
    void threadsCreatedTogetherTakeDistinctSlotsAndSpreadEvenlyOverTheShards() {
        // As many threads as there are slots, created one after another (a large pool's workers): each
        // takes a slot of its own, so none falls back to the ThreadLocal, and without a cache (virtual
        // threads) they would be homed evenly over the shards. A multiplicative hash of their ids left a
        // sixth of them sharing a slot. Ids the JVM hands to other threads meanwhile widen the run: each
        // can cost one collision, never more.
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        int[] perShard = new int[8];
        long firstId = Long.MAX_VALUE;
        long lastId = Long.MIN_VALUE;
        for (int i = 0; i < CacheRegistry.SLOTS; i++) {
            Thread thread = new Thread(() -> { });
            @SuppressWarnings("deprecation") long id = thread.getId();
            firstId = Math.min(firstId, id);
            lastId = Math.max(lastId, id);
            int hash = Threads.hash(thread);
            slots.add(hash & (CacheRegistry.SLOTS - 1));
            perShard[hash & 7]++;
        }
        long skipped = lastId - firstId + 1 - CacheRegistry.SLOTS;
        assertThat((long) slots.size()).isGreaterThanOrEqualTo(CacheRegistry.SLOTS - skipped);
        for (int count : perShard) {
            assertThat((long) count).isBetween(CacheRegistry.SLOTS / 8 - skipped, CacheRegistry.SLOTS / 8 + skipped);
        }
    }

    @Test
    void aRegistryWithoutSlotsAnswersOnlyFromTheThreadLocal() {
        Thread self = Thread.currentThread();
        int hash = Threads.hash(self);
        for (boolean slotted : new boolean[] {true, false}) {
            CacheRegistry registry = new CacheRegistry(4, 8, slotted);
            ThreadCache cache = new ThreadCache(self, 0, 2, 4, 0, 0, 1);
            assertThat(registry.register(cache)).isEmpty();
            assertThat(registry.current()).isSameAs(cache);
            // the fast paths look only at the slot: without one they find nothing and take the slow path
            assertThat(registry.slotted(self, hash)).isSameAs(slotted ? cache : null);
            registry.forgetCurrent();
        }
    }

    @Test
    void strictAndZeroingPoolsStillServeFromTheThreadCacheThroughTheSlowPath() {
        BufferPool strict = BufferPool.builder().validation(Validation.STRICT).leakDetection(LeakDetection.OFF).build();
        BufferPool zeroing = BufferPool.builder().clearOnRelease(true).leakDetection(LeakDetection.OFF).build();
        for (BufferPool pool : List.of(strict, zeroing)) {
            try (pool) {
                for (int i = 0; i < 100; i++) {
                    ByteBuffer buffer = pool.get(4096);
                    buffer.put(0, (byte) 7);
                    pool.put(buffer);
                }
                assertThat(pool.stats().tlsHits()).isEqualTo(99);
                if (pool == zeroing) {
                    assertThat(pool.get(4096).get(0)).isZero(); // the put still zeroed it: the slow path ran
                }
            }
        }
    }

    /** Two unstarted threads running {@code body} whose registry slots collide. */
    @Test
    void aNewThreadTakesTheSlotOfAnEndedThreadWhoseCacheIsNotSweptYet() throws Exception {
        CacheRegistry registry = new CacheRegistry(1, 8, true);
        Map<Thread, Boolean> foundInSlot = new ConcurrentHashMap<>();
        Thread[] pair = collidingPair(() -> {
            Thread self = Thread.currentThread();
            ThreadCache cache = new ThreadCache(self, 0, 2, 1, 0, 0, 1);
            registry.register(cache);
            foundInSlot.put(self, registry.slotted(self, Threads.hash(self)) == cache);
        });
        pair[0].start();
        pair[0].join(); // ended: its cache stays registered, and in the slot, until a sweep finds it
        pair[1].start();
        pair[1].join();
        assertThat(foundInSlot).containsEntry(pair[0], true)
                .as("the second thread's cache, found through the slot rather than the ThreadLocal")
                .containsEntry(pair[1], true);
    }

    private static Thread[] collidingPair(Runnable body) {
        Map<Integer, Thread> bySlot = new HashMap<>();
        while (true) {
            Thread thread = new Thread(body);
            Thread other = bySlot.putIfAbsent(Threads.hash(thread) & (CacheRegistry.SLOTS - 1), thread);
            if (other != null) {
                return new Thread[] {other, thread};
            }
        }
    }
}
