package org.callbackkit.doctor;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A shop on Jetty (127.0.0.1) mounting the catalogue's endpoints behind {@link CallbackServlet}
 * at {@code /callbacks/*}, optionally behind a filter that plays a firewall. The endpoints'
 * handlers are the catalogue's inert ones: a probe that reached one would be answered 500.
 */
final class TestShop implements AutoCloseable {

    private final Server server;
    private final int port;
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal(1000);

    TestShop(List<CallbackEndpoint> endpoints, Filter firewall) throws Exception {
        CallbackRouter router = CallbackRouter.builder().endpoints(endpoints).journal(journal).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new CallbackServlet(router)), "/callbacks/*");
        context.addServlet(new ServletHolder(new jakarta.servlet.http.HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(404);
            }
        }), "/*");
        if (firewall != null) {
            context.addFilter(new FilterHolder(firewall), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    static TestShop of(List<ProviderProfile> providers, Filter firewall) throws Exception {
        return new TestShop(providers.stream().flatMap(p -> p.endpoints().stream()).toList(), firewall);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    InMemoryCallbackJournal journal() {
        return journal;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the test shop did not stop", e);
        }
    }
}
