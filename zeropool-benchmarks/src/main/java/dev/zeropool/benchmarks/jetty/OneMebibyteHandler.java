package dev.zeropool.benchmarks.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers every request with a 1 MiB body written from one 1 MiB direct buffer acquired from the server's
 * {@link ByteBufferPool} and released when the write completes: the pattern of a service with large output
 * buffers (Apache Jena's 1 MB buffers, say), which is what decides whether a pool pools them.
 */
final class OneMebibyteHandler extends Handler.Abstract {

    static final int BODY_SIZE = 1024 * 1024;

    private final byte[] body = new byte[BODY_SIZE];

    OneMebibyteHandler() {
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        ByteBufferPool pool = request.getComponents().getByteBufferPool();
        RetainableByteBuffer buffer = pool.acquire(BODY_SIZE, true);
        ByteBuffer bytes = buffer.getByteBuffer();
        bytes.clear();
        bytes.put(body).flip();
        response.getHeaders().put("Content-Length", String.valueOf(BODY_SIZE));
        response.write(true, bytes, Callback.from(() -> {
            buffer.release();
            callback.succeeded();
        }, failure -> {
            buffer.release();
            callback.failed(failure);
        }));
        return true;
    }
}
