package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zeropool.BufferPool;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;

/**
 * The auto-configuration trims every pool on its own schedule: idle memory really goes back, the
 * schedule ends with the context, and it is absent when switched off. Waits are for real events (pooled
 * bytes falling, a thread ending), bounded, and never sleeps.
 */
class ZeroPoolTrimTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                    ZeroPoolTrimAutoConfiguration.class));

    @Test
    void byDefaultEveryPoolIsTrimmedEveryThirtySeconds() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(BufferPoolTrimmer.class);
            BufferPoolTrimmer trimmer = context.getBean(BufferPoolTrimmer.class);
            assertThat(trimmer.interval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(trimmer.isRunning()).isTrue();
        });
    }

    @Test
    void idleBuffersAreDroppedByTheScheduledTrim() {
        // No per-thread cache, so returned buffers sit in a shard, which a trim empties at once.
        this.runner.withPropertyValues("zeropool.tls-cache-size=0", "zeropool.shards=1", "zeropool.idle-timeout=1ms",
                "zeropool.trim-interval=10ms").run((context) -> {
                    BufferPool pool = context.getBean(BufferPool.class);
                    ByteBuffer first = pool.get(4096);
                    ByteBuffer second = pool.get(4096);
                    pool.put(first);
                    pool.put(second);
                    assertThat(pool.stats().pooledBytes()).isEqualTo(2 * 4096);
                    // Nothing in the test calls trim(): only the schedule can empty the pool.
                    await().atMost(PATIENCE).until(() -> pool.stats().pooledBytes() == 0);
                    assertThat(pool.stats().pooledBuffers()).isZero();
                });
    }

    @Test
    void buffersYoungerThanTheIdleTimeoutStay() {
        this.runner.withPropertyValues("zeropool.tls-cache-size=0", "zeropool.idle-timeout=365d",
                "zeropool.trim-interval=1ms").run((context) -> {
                    BufferPool pool = context.getBean(BufferPool.class);
                    pool.put(pool.get(4096));
                    BufferPoolTrimmer trimmer = context.getBean(BufferPoolTrimmer.class);
                    trimmer.trimAll();
                    trimmer.trimAll();
                    assertThat(pool.stats().pooledBytes()).isEqualTo(4096);
                });
    }

    @Test
    void theApplicationsOwnPoolsAreTrimmedToo() {
        this.runner.withUserConfiguration(TwoUserPools.class).withPropertyValues("zeropool.trim-interval=10ms")
                .run((context) -> {
                    assertThat(context).doesNotHaveBean("bufferPool");
                    for (String name : List.of("io", "net")) {
                        BufferPool pool = context.getBean(name, BufferPool.class);
                        pool.put(pool.get(4096));
                        await().atMost(PATIENCE).until(() -> pool.stats().pooledBytes() == 0);
                    }
                });
    }

    @Test
    void theScheduleStopsWhenTheContextCloses() throws InterruptedException {
        awaitNoTrimThreadOfEarlierTests();
        AtomicReference<BufferPoolTrimmer> trimmer = new AtomicReference<>();
        AtomicReference<Thread> trimThread = new AtomicReference<>();
        this.runner.withPropertyValues("zeropool.trim-interval=10ms").run((context) -> {
            trimmer.set(context.getBean(BufferPoolTrimmer.class));
            assertThat(trimmer.get().isRunning()).isTrue();
            trimThread.set(await().atMost(PATIENCE).until(ZeroPoolTrimTests::liveTrimThread, (t) -> t != null));
            assertThat(trimThread.get().isDaemon()).isTrue();
        });
        assertThat(trimmer.get().isRunning()).isFalse();
        // The executor has terminated; its thread is on its way out and ends without any further trim.
        trimThread.get().join(PATIENCE.toMillis());
        assertThat(trimThread.get().isAlive()).isFalse();
    }

    /**
     * A start-up that fails after the lifecycle beans have started (a listener of the refresh throws) never
     * closes the context, so no {@code stop()} comes; the context only destroys its beans. The schedule must
     * end then too, not trim closed pools on a thread that lives as long as the JVM.
     */
    @Test
    void theScheduleStopsWhenStartUpFailsAfterItStarted() {
        AtomicReference<BufferPoolTrimmer> trimmer = new AtomicReference<>();
        this.runner.withUserConfiguration(FailsOnceRefreshed.class).withPropertyValues("zeropool.trim-interval=10ms")
                .withInitializer((context) -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessAfterInitialization(Object bean, String name) {
                        if (bean instanceof BufferPoolTrimmer created) {
                            trimmer.set(created);
                        }
                        return bean;
                    }
                }))
                .run((context) -> assertThat(context).hasFailed());
        assertThat(trimmer.get()).as("the trimmer was created").isNotNull();
        assertThat(trimmer.get().isRunning()).as("the trimmer still running").isFalse();
    }

    @Test
    void trimEnabledFalseSchedulesNothing() throws InterruptedException {
        awaitNoTrimThreadOfEarlierTests();
        this.runner.withPropertyValues("zeropool.trim.enabled=false", "zeropool.trim-interval=10ms")
                .run((context) -> {
                    assertThat(context).hasSingleBean(BufferPool.class).doesNotHaveBean(BufferPoolTrimmer.class);
                    assertThat(liveTrimThread()).isNull();
                });
    }

    @Test
    void withoutAPoolThereIsNothingToTrim() {
        this.runner.withPropertyValues("zeropool.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(BufferPoolTrimmer.class));
    }

    private static void awaitNoTrimThreadOfEarlierTests() throws InterruptedException {
        for (Thread thread = liveTrimThread(); thread != null; thread = liveTrimThread()) {
            thread.join(PATIENCE.toMillis());
            assertThat(thread.isAlive()).as("trim thread of an earlier context still alive").isFalse();
        }
    }

    private static Thread liveTrimThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter((thread) -> thread.getName().equals(BufferPoolTrimmer.THREAD_NAME) && thread.isAlive())
                .findFirst()
                .orElse(null);
    }

    @Configuration(proxyBeanMethods = false)
    static class FailsOnceRefreshed {

        @EventListener
        void refreshed(ContextRefreshedEvent event) {
            throw new IllegalStateException("a start-up check failed");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoUserPools {

        @Bean(destroyMethod = "close")
        BufferPool io() {
            return BufferPool.builder().tlsCacheSize(0).idleTimeout(Duration.ofMillis(1)).build();
        }

        @Bean(destroyMethod = "close")
        BufferPool net() {
            return BufferPool.builder().tlsCacheSize(0).idleTimeout(Duration.ofMillis(1)).build();
        }
    }
}
