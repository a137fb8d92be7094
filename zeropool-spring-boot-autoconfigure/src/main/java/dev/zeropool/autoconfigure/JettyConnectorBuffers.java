package dev.zeropool.autoconfigure;

import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts a Jetty server's connectors on a given {@link ByteBufferPool}.
 *
 * <p>Why rebuild connectors: a Jetty 12 connector takes its pool in its constructor (or the server's,
 * also fixed at construction), and Spring Boot 3.5 builds both with no setting for it. So each
 * {@link ServerConnector} Boot built, plain or TLS, is replaced, before the server starts, by one with the
 * same connection factories (HTTP/1.1, h2c, TLS: the very same objects, so their configuration holds),
 * host, port, acceptors, selectors, socket settings, and the beans and event listeners added to it, on the
 * given pool. A connection limit Boot set ({@code server.jetty.max-connections}) is rebuilt over the new
 * connectors. Connectors of other kinds, subclasses of {@code ServerConnector} included, are left as they
 * are, on Jetty's own pool. Ordered first among the server customizers (see {@link #getOrder()}), so that
 * the application's own customizers see, and change, the connectors the server will run.
 */
final class JettyConnectorBuffers implements JettyServerCustomizer, Ordered {

    private final ByteBufferPool pool;

    JettyConnectorBuffers(ByteBufferPool pool) {
        this.pool = pool;
    }

    /** First: a customizer that ran before this one would have its changes to the old connectors lost. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void customize(Server server) {
        Connector[] connectors = server.getConnectors();
        List<Connector> replaced = new ArrayList<>(connectors.length);
        for (Connector connector : connectors) {
            // exactly ServerConnector, the class Boot builds: a subclass (a NetworkTrafficServerConnector an
            // application set up, say) has behaviour of its own that a plain rebuild would lose
            replaced.add(connector.getClass() == ServerConnector.class
                    ? onPool(server, (ServerConnector) connector) : connector);
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
        carryOver(old, connector);
        return connector;
    }

    /**
     * What an earlier customizer added to the old connector goes on with the new one: its event listeners
     * and beans (connection statistics, say), managed as they were. Not what the constructor wires, which
     * the new connector has of its own: executor, scheduler, buffer pool, selector manager and the very
     * same connection factories.
     */
    private static void carryOver(ServerConnector old, ServerConnector connector) {
        for (EventListener listener : old.getEventListeners()) {
            if (!connector.getEventListeners().contains(listener)) {
                connector.addEventListener(listener);
            }
        }
        for (Object bean : old.getBeans()) {
            if (!connector.contains(bean) && bean != old.getExecutor() && bean != old.getScheduler()
                    && bean != old.getByteBufferPool() && bean != old.getSelectorManager()) {
                connector.addBean(bean, old.isManaged(bean));
            }
        }
    }
}
