package dev.zeropool.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EventListener;
import java.util.List;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.springframework.boot.web.embedded.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.embedded.jetty.JettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;

/**
 * Puts a Jetty server's connectors on a given {@link ByteBufferPool}.
 *
 * <p>Why rebuild connectors: a Jetty 12 connector takes its pool in its constructor (or the server's,
 * also fixed at construction), and Spring Boot 3.5 builds both with no setting for it. So each
 * {@link ServerConnector} Boot built, plain or TLS, is replaced, before the server starts, by one with the
 * same connection factories (HTTP/1.1, h2c, TLS: the very same objects, so their configuration holds),
 * host, port, acceptors, selectors, socket settings, and the beans and event listeners added to it, on the
 * given pool. A connection limit Boot set ({@code server.jetty.max-connections}) is rebuilt over the new
 * connectors. Connectors of other kinds, subclasses of {@code ServerConnector} included (but Boot's own
 * TLS one), are left as they are, on Jetty's own pool. Put first among a factory's server customizers (see
 * {@link #firstOf}), so that the application's own customizers see, and change, the connectors the server
 * will run.
 */
final class JettyConnectorBuffers implements JettyServerCustomizer {

    /** The connector Boot 3.5 builds for {@code server.ssl.*}. */
    private static final String BOOT_TLS_CONNECTOR =
            "org.springframework.boot.web.embedded.jetty.SslServerCustomizer$SslValidatingServerConnector";

    private final ByteBufferPool pool;

    JettyConnectorBuffers(ByteBufferPool pool) {
        this.pool = pool;
    }

    /**
     * Puts this customizer at the head of the factory's server customizers: one that ran before it would
     * have its changes to the old connectors lost. Boot's Jetty factories keep a list; another kind of
     * factory gets it added as usual.
     */
    void firstOf(ConfigurableJettyWebServerFactory factory) {
        if (factory instanceof JettyServletWebServerFactory servlet) {
            servlet.setServerCustomizers(headedByThis(servlet.getServerCustomizers()));
        } else if (factory instanceof JettyReactiveWebServerFactory reactive) {
            reactive.setServerCustomizers(headedByThis(reactive.getServerCustomizers()));
        } else {
            factory.addServerCustomizers(this);
        }
    }

    /** This customizer, then the others, once each however often the factory is customized. */
    private List<JettyServerCustomizer> headedByThis(Collection<JettyServerCustomizer> current) {
        List<JettyServerCustomizer> customizers = new ArrayList<>(current.size() + 1);
        customizers.add(this);
        for (JettyServerCustomizer customizer : current) {
            if (customizer != this) {
                customizers.add(customizer);
            }
        }
        return customizers;
    }

    @Override
    public void customize(Server server) {
        Connector[] connectors = server.getConnectors();
        List<Connector> replaced = new ArrayList<>(connectors.length);
        for (Connector connector : connectors) {
            replaced.add(builtByBoot(connector) ? onPool(server, (ServerConnector) connector) : connector);
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

    /**
     * Whether Boot built the connector: exactly a {@link ServerConnector}, or Boot's TLS one (a subclass that
     * checks the key alias at start; the rebuild is a plain connector with the same TLS connection factory
     * and that check, {@link KeyAliasCheck}).
     * Another subclass (a {@code NetworkTrafficServerConnector} an application set up, say) has behaviour of
     * its own that a plain rebuild would lose.
     */
    private static boolean builtByBoot(Connector connector) {
        Class<?> type = connector.getClass();
        return type == ServerConnector.class || BOOT_TLS_CONNECTOR.equals(type.getName());
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
        if (BOOT_TLS_CONNECTOR.equals(old.getClass().getName())) {
            // what Boot's TLS connector adds: at start, a key alias the keystore lacks fails the start
            // (Jetty itself would start, and then fail every handshake)
            connector.addBean(new KeyAliasCheck(connector));
        }
        return connector;
    }

    /**
     * Fails the connector's start if the TLS key alias set is not in the keystore, as Boot's TLS connector
     * does. Started after the connection factories (added after them), so the keystore is loaded.
     */
    private static final class KeyAliasCheck extends AbstractLifeCycle {

        private final ServerConnector connector;

        KeyAliasCheck(ServerConnector connector) {
            this.connector = connector;
        }

        @Override
        protected void doStart() throws Exception {
            SslConnectionFactory tls = this.connector.getConnectionFactory(SslConnectionFactory.class);
            if (tls == null) {
                return;
            }
            SslContextFactory.Server context = tls.getSslContextFactory();
            String alias = context.getCertAlias();
            if (alias != null && context.getKeyStore() != null && !context.getKeyStore().containsAlias(alias)) {
                throw new IllegalStateException("Keystore does not contain alias '" + alias + "'");
            }
        }
    }

    /**
     * What an earlier customizer added to the old connector goes on with the new one: its beans (connection
     * statistics, say), managed, unmanaged or automatic as they were, then its event listeners (adding a
     * listener also adds it as an automatic bean, so the beans come first, to keep their mode). Not what
     * the constructor wires, which the new connector has of its own: executor, scheduler, buffer pool,
     * selector manager and the very same connection factories.
     */
    private static void carryOver(ServerConnector old, ServerConnector connector) {
        for (Object bean : old.getBeans()) {
            if (!connector.contains(bean) && bean != old.getExecutor() && bean != old.getScheduler()
                    && bean != old.getByteBufferPool() && bean != old.getSelectorManager()) {
                if (old.isAuto(bean)) {
                    connector.addBean(bean); // managed or not as the new connector finds it, as the old did
                } else {
                    connector.addBean(bean, old.isManaged(bean));
                }
            }
        }
        for (EventListener listener : old.getEventListeners()) {
            if (!connector.getEventListeners().contains(listener)) {
                connector.addEventListener(listener);
            }
        }
    }
}
