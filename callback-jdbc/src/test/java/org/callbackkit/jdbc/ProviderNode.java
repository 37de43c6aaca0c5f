package org.callbackkit.jdbc;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaCredentials;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterCredentials;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaCredentials;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A shop node with Klarna, Ecster and Avarda mounted on a {@link JdbcCallbackStore} over
 * PostgreSQL, for the multi-node test: every order the providers name exists in the shop, unpaid,
 * and every time the shop is told an order is paid (confirmed) it writes a row to
 * {@value #EFFECTS}, a table without a unique key, so that a second payment would be seen. The
 * provider APIs are the test's fakes, called over loopback HTTP with their test credentials.
 *
 * <pre>ProviderNode --postgres JDBC_URL --name NODE --klarna URI --ecster URI --avarda URI [--per-jvm-locks]</pre>
 * Runs its scheduler, prints {@code READY <port>} once it takes callbacks, stops when its stdin closes.
 */
public final class ProviderNode implements AutoCloseable {

    /** One row each time a shop was told an order is paid. */
    static final String EFFECTS = "shop_effects";
    /** Klarna's orders: 1 x sku-1 at 10000 minor units. */
    static final long KLARNA_AMOUNT = 10_000;
    static final long ECSTER_AMOUNT = 9_900;
    /** Avarda's purchases: 123.45 SEK. */
    static final BigDecimal AVARDA_TOTAL = new BigDecimal("123.45");

    private final DataSource pool;
    private final JdbcCallbackStore store;
    private final KlarnaCallbacks klarna;
    private final EcsterCallbacks ecster;
    private final AvardaCallbacks avarda;
    private final Server server;

    /**
     * A node on {@code pool}: its store (the scheduler not started), the three modules, and its
     * router served on loopback.
     *
     * @param perJvmLocks the guard before the engine, to show the test catches it
     */
    ProviderNode(DataSource pool, String name, URI klarnaApi, URI ecsterApi, URI avardaApi, boolean perJvmLocks)
            throws Exception {
        this.pool = pool;
        execute(pool, "CREATE TABLE IF NOT EXISTS " + EFFECTS + " (provider VARCHAR(20) NOT NULL,"
                + " order_id VARCHAR(100) NOT NULL, node VARCHAR(100) NOT NULL, source VARCHAR(20) NOT NULL)");
        store = JdbcCallbackStore.builder(pool).nodeName(name).threads(4).pollInterval(Duration.ofMillis(100))
                .defaultRetries(RetrySchedule.fixed(Duration.ofMillis(100), 100)).build();
        StateStore state = perJvmLocks ? new PerJvmLockedStateStore(store.stateStore(), pool, name) : store.stateStore();
        Shop shop = new Shop(name);
        klarna = KlarnaCallbacks.builder().environment(KlarnaEnvironment.PLAYGROUND).apiBaseUri(klarnaApi)
                .credentials(new KlarnaCredentials("test-merchant", "test-secret")).shop(shop)
                .scheduler(store.scheduler()).stateStore(state).journal(store.journal()).build();
        ecster = EcsterCallbacks.builder().apiBaseUri(ecsterApi)
                .credentials(new EcsterCredentials("test-api-key", "test-merchant-key")).shop(shop.ecster())
                .scheduler(store.scheduler()).stateStore(state).processingDelay(Duration.ZERO).build();
        avarda = AvardaCallbacks.builder().apiBaseUri(avardaApi)
                .credentials(new AvardaCredentials("test-client-id", "test-client-secret")).shop(shop.avarda())
                .scheduler(store.scheduler()).stateStore(state).processingDelay(Duration.ZERO).build();
        List<CallbackEndpoint> endpoints = new ArrayList<>(klarna.endpoints());
        endpoints.addAll(ecster.endpoints());
        endpoints.addAll(avarda.endpoints());
        server = CallbackNode.serve(store, CallbackRouter.builder().endpoints(endpoints).journal(store.journal()).build());
    }

    public static void main(String[] args) throws Exception {
        String postgres = null;
        String name = "node";
        URI klarnaApi = null;
        URI ecsterApi = null;
        URI avardaApi = null;
        boolean perJvmLocks = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--postgres" -> postgres = args[++i];
                case "--name" -> name = args[++i];
                case "--klarna" -> klarnaApi = URI.create(args[++i]);
                case "--ecster" -> ecsterApi = URI.create(args[++i]);
                case "--avarda" -> avardaApi = URI.create(args[++i]);
                case "--per-jvm-locks" -> perJvmLocks = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        try (ProviderNode node = new ProviderNode(PostgresServer.pool(postgres, 20), name, klarnaApi, ecsterApi,
                avardaApi, perJvmLocks)) {
            node.store.start();
            System.out.println("READY " + node.port());
            System.out.flush();
            try (InputStream stdin = System.in) {
                while (stdin.read() >= 0) {
                    // the test closes stdin to stop the node cleanly
                }
            }
        }
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    KlarnaCallbacks klarna() {
        return klarna;
    }

    EcsterCallbacks ecster() {
        return ecster;
    }

    AvardaCallbacks avarda() {
        return avarda;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        klarna.close();
        store.close();
        if (pool instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Every order exists and is unpaid; each payment the shop is told of is a row in {@value #EFFECTS}. */
    private final class Shop implements KlarnaShop {
        private final String node;

        Shop(String node) {
            this.node = node;
        }

        void paid(String provider, String orderId, Source source) {
            try (Connection connection = pool.getConnection(); PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + EFFECTS + " (provider, order_id, node, source) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, provider);
                insert.setString(2, orderId);
                insert.setString(3, node);
                insert.setString(4, source.name());
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("the shop's database failed", e);
            }
        }

        @Override
        public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
            return Optional.of(KlarnaShopOrder.of("shop-" + klarnaOrderId, "SEK", KLARNA_AMOUNT)
                    .withLines(List.of(new KlarnaShopOrder.Line("sku-1", 1))));
        }

        @Override
        public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
            paid("klarna", order.orderId(), source);
        }

        @Override
        public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
            throw new IllegalStateException("no mismatch expected: " + differences);
        }

        EcsterShop ecster() {
            return new EcsterShop() {
                @Override
                public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
                    return Optional.of(new EcsterShopOrder("shop-" + ecsterOrderId, ECSTER_AMOUNT, "SEK", false));
                }

                @Override
                public void onStateChange(EcsterStateChange change) {
                    paid("ecster", change.order().id(), change.source());
                }
            };
        }

        AvardaShop avarda() {
            return new AvardaShop() {
                @Override
                public Optional<AvardaShopOrder> findOrder(String purchaseId) {
                    return Optional.of(new AvardaShopOrder("shop-" + purchaseId, AVARDA_TOTAL, "SEK", false));
                }

                @Override
                public void onStateChange(AvardaStateChange change) {
                    paid("avarda", change.payment().purchaseId(), change.source());
                }
            };
        }
    }
}
