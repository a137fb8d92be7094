package dev.zeropool.benchmarks.jetty;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;

/**
 * Keeps {@code concurrency} requests in flight against one URI until a deadline, each started as the last
 * completed, and counts the completed ones whose body arrived whole. Content is counted, not kept.
 */
final class ClientLoad {

    private final HttpClient client;
    private final URI uri;
    private final int expectedBytes;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long deadline;
    private CountDownLatch streams;

    ClientLoad(HttpClient client, URI uri, int expectedBytes) {
        this.client = client;
        this.uri = uri;
        this.expectedBytes = expectedBytes;
    }

    /** Runs the load for {@code nanos}, then waits for the requests in flight; returns the completed count. */
    long run(int concurrency, long nanos) throws InterruptedException {
        completed.set(0);
        deadline = System.nanoTime() + nanos;
        streams = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            next();
        }
        streams.await();
        if (failure.get() != null) {
            throw new IllegalStateException("a request failed", failure.get());
        }
        return completed.get();
    }

    private void next() {
        if (System.nanoTime() - deadline >= 0 || failure.get() != null) {
            streams.countDown();
            return;
        }
        client.newRequest(uri).send(new Exchange());
    }

    /** One request: counts its body's bytes, then starts the next request of its stream. */
    private final class Exchange implements Response.Listener {
        private long bytes;

        @Override
        public void onContent(Response response, ByteBuffer content) {
            bytes += content.remaining();
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed()) {
                failure.compareAndSet(null, result.getFailure());
            } else if (result.getResponse().getStatus() != 200 || bytes != expectedBytes) {
                failure.compareAndSet(null, new IllegalStateException("status " + result.getResponse().getStatus()
                        + ", " + bytes + " bytes instead of " + expectedBytes));
            } else {
                completed.incrementAndGet();
            }
            next();
        }
    }
}
