package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.io.NetworkTrafficListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkTrafficServerConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.junit.jupiter.api.Test;

/** The connector rebuild: what it replaces, and what the replacement keeps of the connector it replaces. */
class JettyConnectorBuffersTests {

    private final ZeroPoolByteBufferPool pool = new ZeroPoolByteBufferPool();

    @Test
    void aSubclassOfServerConnectorIsLeftAsItIsWithItsListener() {
        Server server = new Server();
        NetworkTrafficServerConnector traffic = new NetworkTrafficServerConnector(server);
        NetworkTrafficListener listener = new NetworkTrafficListener() {
        };
        traffic.setNetworkTrafficListener(listener);
        server.addConnector(traffic);

        new JettyConnectorBuffers(this.pool).customize(server);

        Connector after = server.getConnectors()[0];
        assertThat(after).isSameAs(traffic);
        assertThat(traffic.getNetworkTrafficListener()).isSameAs(listener);
    }

    @Test
    void aRebuiltConnectorKeepsTheBeansAddedToTheOldOneAndTakesThePool() {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        ConnectionStatistics statistics = new ConnectionStatistics();
        connector.addBean(statistics);
        server.addConnector(connector);

        new JettyConnectorBuffers(this.pool).customize(server);

        ServerConnector after = (ServerConnector) server.getConnectors()[0];
        assertThat(after).isNotSameAs(connector);
        assertThat(after.getByteBufferPool()).isSameAs(this.pool);
        assertThat(after.getBeans(ConnectionStatistics.class)).containsExactly(statistics);
        assertThat(after.getEventListeners()).contains(statistics);
        assertThat(after.getBeans(org.eclipse.jetty.io.ByteBufferPool.class)).containsExactly(this.pool);
    }

    @Test
    void aBeanThatIsAlsoAListenerKeepsItsModeManagedOrNot() {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        ConnectionStatistics unmanaged = new ConnectionStatistics(); // owned elsewhere: not started by the connector
        ConnectionStatistics managed = new ConnectionStatistics();
        connector.addBean(unmanaged, false);
        connector.addBean(managed, true);
        server.addConnector(connector);

        new JettyConnectorBuffers(this.pool).customize(server);

        ServerConnector after = (ServerConnector) server.getConnectors()[0];
        assertThat(after.isUnmanaged(unmanaged)).as("unmanaged").isTrue();
        assertThat(after.isManaged(managed)).as("managed").isTrue();
        assertThat(after.getEventListeners()).contains(unmanaged, managed);
    }

    @Test
    void aLifeCycleBeanTheOldConnectorWouldHaveStartedIsStartedWithTheNewOne() throws Exception {
        Server server = new Server();
        ServerConnector old = new ServerConnector(server, new HttpConnectionFactory());
        old.setPort(0);
        Component component = new Component();
        old.addBean(component); // automatic: the connector manages it if not running when it starts
        server.addConnector(old);

        new JettyConnectorBuffers(this.pool).customize(server);
        server.start();
        try {
            assertThat(component.isStarted()).as("started with the connector, as before the rebuild").isTrue();
        } finally {
            server.stop();
        }
    }

    /** A bean with a lifecycle of its own. */
    static final class Component extends AbstractLifeCycle {
    }
}
