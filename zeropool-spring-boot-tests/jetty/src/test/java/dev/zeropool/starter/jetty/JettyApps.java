package dev.zeropool.starter.jetty;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.jetty.JettyWebServer;
import org.springframework.context.ConfigurableApplicationContext;

/** Reaches into a running application's embedded Jetty server. */
public final class JettyApps {

    private JettyApps() {
    }

    public static Server server(ConfigurableApplicationContext context) {
        return ((JettyWebServer) ((WebServerApplicationContext) context).getWebServer()).getServer();
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** @return the buffer pool of the server's only connector */
    public static ByteBufferPool connectorPool(ConfigurableApplicationContext context) {
        Connector[] connectors = server(context).getConnectors();
        if (connectors.length != 1) {
            throw new IllegalStateException("expected one connector, found " + connectors.length);
        }
        return connectors[0].getByteBufferPool();
    }

    /** Stops the web server, closing every connection, so that every buffer Jetty held is released. */
    public static void stopServer(ConfigurableApplicationContext context) {
        ((WebServerApplicationContext) context).getWebServer().stop();
    }
}
