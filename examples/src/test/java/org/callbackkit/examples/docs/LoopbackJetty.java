package org.callbackkit.examples.docs;

import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A servlet context on Jetty at 127.0.0.1, on a free port, for the snippets that mount servlets. */
final class LoopbackJetty implements AutoCloseable {

    final ServletContextHandler context = new ServletContextHandler();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    LoopbackJetty() {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(context);
    }

    /** Starts the server once the context has its servlets and listeners. */
    LoopbackJetty start() throws Exception {
        server.start();
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
