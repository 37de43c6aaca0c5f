package org.callbackkit.jdbc;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A shop node for the crash and two-node tests, run in a JVM of its own: a
 * {@link JdbcCallbackStore} (SQLite file or PostgreSQL), and a router on Jetty with one callback,
 * {@code POST /callbacks/node/paid/{orderId}}, answered 200 once a {@value #PAID} action is
 * committed (as a provider module does), and {@code GET /health} with the scheduler's health.
 *
 * <p>The {@value #PAID} action records its run in {@code node_runs}, then has its effect as an
 * idempotent listener would: if the idempotency store's mark of the order is the first, a row in
 * {@code node_effects}, which has no unique key, so that a second effect would be seen. The mark
 * and the effect commit in one transaction (the store's statements join the node's through a
 * {@link SharedTransactionDataSource}), so a kill leaves both or neither, and a test can ask for
 * exactly one effect per order. The {@value #BLOCK} action records its run and, on a node started
 * with {@code --hang}, never returns: a node to kill mid-action.
 *
 * <pre>CallbackNode (--sqlite FILE | --postgres JDBC_URL) --name NODE [--hang]</pre>
 * Prints {@code READY <port>} once it takes callbacks; stops cleanly when its stdin closes.
 */
public final class CallbackNode {

    static final String PAID = "node.paid";
    static final String BLOCK = "node.block";
    /** One row per run of an action. */
    static final String RUNS = "node_runs";
    /** One row per effect: a {@value #PAID} run whose idempotency mark was the first. */
    static final String EFFECTS = "node_effects";
    /** How often a node heartbeats its runs; 4 missed ones and another node runs the action again. */
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration HEARTBEAT_TIMEOUT = HEARTBEAT.multipliedBy(4);

    private CallbackNode() {
    }

    public static void main(String[] args) throws Exception {
        String sqlite = null;
        String postgres = null;
        String name = "node";
        boolean hang = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sqlite" -> sqlite = args[++i];
                case "--postgres" -> postgres = args[++i];
                case "--name" -> name = args[++i];
                case "--hang" -> hang = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        DataSource pool = postgres == null ? JdbcCallbackStore.sqliteFile(Path.of(sqlite))
                : PostgresServer.pool(postgres, 10);
        JdbcCallbackStore store = node(pool, name, hang);
        store.start();
        Server server = serve(store);
        System.out.println("READY " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        System.out.flush();
        try (InputStream stdin = System.in) {
            while (stdin.read() >= 0) {
                // the test closes stdin to stop the node cleanly
            }
        }
        server.stop();
        store.close();
        if (pool instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * A node's store on {@code pool} (the caller's to close after the store), its tables created
     * and its handlers registered; not started.
     */
    static JdbcCallbackStore node(DataSource pool, String name, boolean hang) {
        SharedTransactionDataSource db = new SharedTransactionDataSource(pool);
        return register(storeBuilder(JdbcCallbackStore.builder(db), name).build(), db, Dialect.of(pool), name, hang);
    }

    /** The settings every test node runs with: quick polls and heartbeats, many quick retries. */
    private static JdbcCallbackStore.Builder storeBuilder(JdbcCallbackStore.Builder builder, String name) {
        return builder.nodeName(name)
                .threads(4)
                .pollInterval(Duration.ofMillis(100))
                .overdueAfter(Duration.ofSeconds(30))
                .heartbeatInterval(HEARTBEAT)
                .missedHeartbeatsLimit(4)
                .closeTimeout(Duration.ofSeconds(5))
                .defaultRetries(RetrySchedule.fixed(Duration.ofMillis(100), 100));
    }

    /** Creates {@code node_runs} and {@code node_effects} and registers the node's handlers; returns the store. */
    private static JdbcCallbackStore register(JdbcCallbackStore store, SharedTransactionDataSource db, Dialect dialect,
            String name, boolean hang) {
        for (String table : new String[] {RUNS, EFFECTS}) {
            execute(db, "CREATE TABLE IF NOT EXISTS " + table + " (action_key VARCHAR(200) NOT NULL,"
                    + " node VARCHAR(100) NOT NULL, attempt INT NOT NULL, ran_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        Clock clock = Clock.systemUTC();
        CountDownLatch never = new CountDownLatch(1);
        store.scheduler().register(PAID, context -> {
            recordRun(db, dialect, context.key(), name, context.attempt(), clock);
            db.inTransaction(connection -> {
                if (store.idempotencyStore().markDone(PAID, context.key(), clock.instant())) {
                    record(connection, dialect, EFFECTS, context.key(), name, context.attempt(), clock);
                }
                return null;
            });
            return ActionResult.done();
        });
        store.scheduler().register(BLOCK, context -> {
            recordRun(db, dialect, context.key(), name, context.attempt(), clock);
            if (hang) {
                never.await();
            }
            return ActionResult.done();
        });
        return store;
    }

    private static Server serve(JdbcCallbackStore store) throws Exception {
        Clock clock = Clock.systemUTC();
        return serve(store, CallbackRouter.builder()
                .journal(store.journal())
                .clock(clock)
                .endpoint(CallbackEndpoint.builder("node", "paid")
                        .path("/node/paid/{orderId}")
                        .methods("POST")
                        .handler(request -> {
                            String orderId = request.pathParameter("orderId").orElseThrow();
                            // answered only once schedule() committed; a failed commit is a 503
                            return store.scheduler().schedule(new DelayedAction(PAID, orderId, "{}", clock.instant()))
                                    ? CallbackResponse.ok()
                                    : CallbackResponse.duplicate();
                        })
                        .build())
                .build());
    }

    /** {@code router} below {@code /callbacks/*} and the store's health at {@code /health}, on loopback. */
    static Server serve(JdbcCallbackStore store, CallbackRouter router) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new CallbackServlet(router)), "/callbacks/*");
        context.addServlet(new ServletHolder(new Health(store)), "/health");
        server.setHandler(context);
        server.start();
        return server;
    }

    private static void recordRun(DataSource db, Dialect dialect, String key, String node, int attempt, Clock clock)
            throws SQLException {
        try (Connection connection = db.getConnection()) {
            record(connection, dialect, RUNS, key, node, attempt, clock);
        }
    }

    /** A row in {@code table}: a run of the action of {@code key}, or the effect of that run. */
    private static void record(Connection connection, Dialect dialect, String table, String key, String node,
            int attempt, Clock clock) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (action_key, node, attempt, ran_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, node);
            insert.setInt(3, attempt);
            dialect.setInstant(insert, 4, clock.instant());
            insert.executeUpdate();
        }
    }

    private static void execute(DataSource db, String sql) {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /health}: {@code pending running dead}, space-separated. */
    private static final class Health extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient JdbcCallbackStore store;

        Health(JdbcCallbackStore store) {
            this.store = store;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            SchedulerHealth health = store.scheduler().health();
            response.setContentType("text/plain");
            response.getOutputStream().write((health.pending() + " " + health.running() + " " + health.dead())
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
