package dev.zeropool.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;

/**
 * Puts a Jetty server's connectors on a given {@link ByteBufferPool}.
 *
 * <p>Why rebuild connectors: a Jetty 12 connector takes its pool in its constructor (or the server's,
 * also fixed at construction), and Spring Boot 3.5 builds both with no setting for it. So each
 * {@link ServerConnector} Boot built, plain or TLS, is replaced, before the server starts, by one with the
 * same connection factories (HTTP/1.1, h2c, TLS: the very same objects, so their configuration holds),
 * host, port, acceptors, selectors and socket settings, on the given pool. A connection limit Boot set
 * ({@code server.jetty.max-connections}) is rebuilt over the new connectors. Connectors of other kinds are
 * left as they are.
 */
final class JettyConnectorBuffers implements JettyServerCustomizer {

    private final ByteBufferPool pool;

    JettyConnectorBuffers(ByteBufferPool pool) {
        this.pool = pool;
    }

    @Override
    public void customize(Server server) {
        Connector[] connectors = server.getConnectors();
        List<Connector> replaced = new ArrayList<>(connectors.length);
        for (Connector connector : connectors) {
            replaced.add(connector instanceof ServerConnector serverConnector
                    ? onPool(server, serverConnector) : connector);
        }
        Connector[] now = replaced.toArray(new Connector[0]);
        server.setConnectors(now);
        for (NetworkConnectionLimit limit : server.getBeans(NetworkConnectionLimit.class)) {
            NetworkConnectionLimit rebuilt = new NetworkConnectionLimit(limit.getMaxNetworkConnectionCount(), now);
            rebuilt.setEndPointIdleTimeout(limit.getEndPointIdleTimeout());
            server.removeBean(limit);
            server.addBean(rebuilt);
        }
    }

    private ServerConnector onPool(Server server, ServerConnector old) {
        // An executor or scheduler the old connector was given (WebFlux's JettyResourceFactory) is passed on;
        // null takes the server's, as the old one did.
        ServerConnector connector = new ServerConnector(server,
                old.getExecutor() != server.getThreadPool() ? old.getExecutor() : null,
                old.getScheduler() != server.getScheduler() ? old.getScheduler() : null, this.pool, old.getAcceptors(),
                old.getSelectorManager().getSelectorCount(),
                old.getConnectionFactories().toArray(new ConnectionFactory[0]));
        connector.setName(old.getName());
        connector.setHost(old.getHost());
        connector.setPort(old.getPort());
        connector.setDefaultProtocol(old.getDefaultProtocol());
        connector.setIdleTimeout(old.getIdleTimeout());
        connector.setShutdownIdleTimeout(old.getShutdownIdleTimeout());
        connector.setAcceptQueueSize(old.getAcceptQueueSize());
        connector.setReuseAddress(old.getReuseAddress());
        connector.setReusePort(old.isReusePort());
        connector.setAcceptedTcpNoDelay(old.getAcceptedTcpNoDelay());
        connector.setAcceptedReceiveBufferSize(old.getAcceptedReceiveBufferSize());
        connector.setAcceptedSendBufferSize(old.getAcceptedSendBufferSize());
        connector.setAcceptorPriorityDelta(old.getAcceptorPriorityDelta());
        connector.setInheritChannel(old.isInheritChannel());
        return connector;
    }
}
