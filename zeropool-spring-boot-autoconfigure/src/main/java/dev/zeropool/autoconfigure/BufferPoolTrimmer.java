package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link BufferPool#trim()} on each of several pools at a fixed interval, so that memory a load
 * spike took goes back once the buffers have been idle for each pool's
 * {@link dev.zeropool.PoolConfig#idleTimeout() idle timeout}. A buffer is dropped at most one interval
 * later than its idle timeout.
 *
 * <p>Owns its scheduler: one daemon thread, {@code zeropool-trim}, created by {@link #start()} and gone
 * after {@link #stop()}. As a {@link SmartLifecycle} it starts with the application context and stops
 * when the context closes, before the pools are closed; no {@code @EnableScheduling} is needed. As an
 * {@link AutoCloseable} it also stops when the context destroys it: a start-up that fails after the
 * lifecycle beans started never closes the context (so never calls {@link #stop()}), but does destroy its
 * beans. A trim that throws is logged and the schedule goes on. Thread-safe.
 */
public class BufferPoolTrimmer implements SmartLifecycle, AutoCloseable {

    /** Name of the scheduler's thread. */
    static final String THREAD_NAME = "zeropool-trim";

    private static final Log logger = LogFactory.getLog(BufferPoolTrimmer.class);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, BufferPool> pools;

    private final Duration interval;

    private ScheduledExecutorService scheduler; // guarded by this

    /**
     * @param pools the pools to trim, by name; copied
     * @param interval time between the end of one round of trims and the start of the next, above 0
     * @throws IllegalArgumentException if the interval is not above 0
     */
    public BufferPoolTrimmer(Map<String, BufferPool> pools, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be above 0, was " + interval);
        }
        this.pools = new TreeMap<>(pools);
        this.interval = interval;
    }

    /** @return the time between two rounds of trims */
    public Duration interval() {
        return this.interval;
    }

    /** Trims every pool once, now, on the calling thread. */
    void trimAll() {
        this.pools.forEach((name, pool) -> {
            try {
                long dropped = pool.trim();
                if (dropped > 0 && logger.isDebugEnabled()) {
                    logger.debug("Trimmed " + dropped + " idle bytes from BufferPool '" + name + "'");
                }
            } catch (RuntimeException ex) {
                // An exception would cancel the periodic task for good, and every pool after this one.
                logger.warn("Trimming BufferPool '" + name + "' failed; trying again in " + this.interval, ex);
            }
        });
    }

    /** Starts trimming every {@link #interval()}, the first round one interval from now. */
    @Override
    public synchronized void start() {
        if (this.scheduler != null) {
            return;
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        // TimeUnit.convert(Duration) saturates, so a huge interval means "never" rather than overflowing.
        long nanos = TimeUnit.NANOSECONDS.convert(this.interval);
        executor.scheduleWithFixedDelay(this::trimAll, nanos, nanos, TimeUnit.NANOSECONDS);
        this.scheduler = executor;
    }

    /**
     * Stops trimming and waits (at most ten seconds) for a round in progress to finish, so that no trim
     * runs once the context goes on to close the pools. The scheduler's thread then ends.
     */
    @Override
    public synchronized void stop() {
        if (this.scheduler == null) {
            return;
        }
        this.scheduler.shutdown(); // cancels the periodic task; a round in progress finishes
        try {
            if (!this.scheduler.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                this.scheduler.shutdownNow();
            }
        } catch (InterruptedException ex) {
            this.scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        this.scheduler = null;
    }

    /**
     * Stops the schedule as {@link #stop()} does; what the context calls when it destroys this bean. Once
     * stopped, {@link #start()} would start it again: closing marks nothing else.
     */
    @Override
    public void close() {
        stop();
    }

    /** @return whether the schedule is running: between {@link #start()} and {@link #stop()} */
    @Override
    public synchronized boolean isRunning() {
        return this.scheduler != null;
    }
}
