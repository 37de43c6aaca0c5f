package org.callbackkit.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.callbackkit.core.intake.CallbackRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One Jetty configuration for every servlet measured, ours and the bare baseline alike: Jetty's
 * defaults (its queued thread pool, HTTP/1.1 keep-alive), one connector on 127.0.0.1 and a
 * random port, the servlet mounted at {@value #MOUNT}{@code /*}.
 */
final class Servers {

    /** Where the servlet is mounted. */
    static final String MOUNT = "/callbacks";

    private Servers() {
    }

    /** Starts Jetty with {@code servlet} at {@value #MOUNT}{@code /*}. */
    static Server start(HttpServlet servlet) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), MOUNT + "/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The port {@code server} listens on. */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The HTTP bytes of {@code request} sent to the servlet's mount: path, query, headers and body as built. */
    static byte[] http(CallbackRequest request) {
        return http(MOUNT, request);
    }

    /** The HTTP bytes of {@code request} sent below {@code mount}: path, query, headers and body as built. */
    static byte[] http(String mount, CallbackRequest request) {
        String target = request.pathAndQuery();
        StringBuilder headers = new StringBuilder();
        for (Map.Entry<String, List<String>> header : request.headers().asMap().entrySet()) {
            for (String value : header.getValue()) {
                headers.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        return HttpLoad.request(request.method(), mount + target, headers.toString(), request.body());
    }

    /** The baseline: a plain servlet that answers every request 200 with an empty body and does nothing else. */
    static final class BareServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(200);
            response.setContentLength(0);
        }
    }

    /**
     * The baseline of acknowledging after persisting: per request, reads the body, inserts one row
     * (a new id, the request's path and query, the body) into {@value #PERSISTED} and commits, in
     * its own transaction on a connection of {@code dataSource}, then answers 200 with an empty
     * body; 503 if the database failed. Given the store's own data source it writes to the same
     * database through the same pool (or SQLite's one connection), taking its turn with the store.
     */
    static final class PersistServlet extends HttpServlet {
        /** The table the baseline writes to, created if missing. */
        static final String PERSISTED = "bench_persisted_callbacks";
        private static final long serialVersionUID = 1L;

        private final transient DataSource dataSource;

        PersistServlet(DataSource dataSource) throws SQLException {
            this.dataSource = dataSource;
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + PERSISTED
                        + " (id VARCHAR(36) PRIMARY KEY, target VARCHAR(2000) NOT NULL, body TEXT NOT NULL)");
            }
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false); // as the store's transactions do
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + PERSISTED + " (id, target, body) VALUES (?, ?, ?)")) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, target);
                    insert.setString(3, body);
                    insert.executeUpdate();
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
                response.setStatus(200);
            } catch (SQLException e) {
                response.setStatus(503);
            }
            response.setContentLength(0);
        }
    }
}
