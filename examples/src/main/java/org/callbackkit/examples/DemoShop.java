package org.callbackkit.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsSecrets;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.core.CallbackJournal;
import org.callbackkit.core.CallbackRouter;
import org.callbackkit.core.CallbackServlet;
import org.callbackkit.core.DelayedActionScheduler;
import org.callbackkit.core.InMemoryCallbackJournal;
import org.callbackkit.core.InMemoryDelayedActionScheduler;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A demo shop on embedded Jetty (127.0.0.1 only) that takes payment callbacks the way a real shop
 * wires Callback Kit: a {@link CallbackRouter} with a journal, a delayed-action scheduler, and an
 * order store. Journal and scheduler are in memory, or, with {@link Builder#durable(Path)}, in an
 * H2 file through callback-jdbc, where pending actions survive a restart (the orders themselves
 * stay in memory: a restarted demo shop starts with its orders unpaid).
 *
 * <ul>
 *   <li>{@code POST /callbacks/demo/payment/{orderId}}: the demo provider's payment callback,
 *       JSON {@code {"event":"PAID","amount":12345}} with header {@code X-Demo-Secret};</li>
 *   <li>{@code GET /callbacks/blockonomics/payment?secret=...}: Blockonomics payment callbacks for
 *       the bitcoin orders {@value #BITCOIN_ORDER_ID} and {@value #UNDERPAID_ORDER_ID};</li>
 *   <li>{@code GET /callbacks/journal[?provider=&outcome=&limit=]}: the journal, newest first;</li>
 *   <li>{@code GET /callbacks/health}: the scheduler's health;</li>
 *   <li>{@code GET /orders/{id}}: one order and its status.</li>
 * </ul>
 *
 * <p>Seeded with order {@value #DEMO_ORDER_ID} of {@value #DEMO_ORDER_AMOUNT} minor units.
 * Start with {@link #builder()}; {@link #close()} stops the server and the scheduler (or store) it made.
 */
public final class DemoShop implements AutoCloseable {

    /** The order the shop starts with. */
    public static final String DEMO_ORDER_ID = "1001";
    /** Its amount in minor units. */
    public static final long DEMO_ORDER_AMOUNT = 12345;
    /** The header the demo provider authenticates with. */
    public static final String SECRET_HEADER = DemoPayments.SECRET_HEADER;
    /** A second order of the demo provider, paid across a restart in the durable demo. */
    public static final String SECOND_ORDER_ID = "1002";
    /** The bitcoin order, paid in full through Blockonomics callbacks. */
    public static final String BITCOIN_ORDER_ID = "2001";
    /** Its receiving address. */
    public static final String BITCOIN_ADDRESS = "bc1qdemo2001receiving";
    /** The bitcoin order the demo underpays. */
    public static final String UNDERPAID_ORDER_ID = "2002";
    /** Its receiving address. */
    public static final String UNDERPAID_ADDRESS = "bc1qdemo2002receiving";
    /** What each bitcoin order costs, in satoshi. */
    public static final long BITCOIN_AMOUNT_SATOSHI = 100_000;
    /** How long after a payment callback the order is marked paid, unless told otherwise. */
    public static final Duration DEFAULT_PAYMENT_DELAY = Duration.ofSeconds(1);

    private final Server server;
    private final URI baseUri;
    private final String secret;
    private final String blockonomicsSecret;
    private final DemoOrders orders;
    private final CallbackJournal journal;
    private final DelayedActionScheduler scheduler;
    private final AutoCloseable owned;

    private DemoShop(Server server, int port, String secret, String blockonomicsSecret, CallbackJournal journal,
            DemoOrders orders, DelayedActionScheduler scheduler, AutoCloseable owned) {
        this.server = server;
        this.baseUri = URI.create("http://127.0.0.1:" + port + "/");
        this.secret = secret;
        this.blockonomicsSecret = blockonomicsSecret;
        this.orders = orders;
        this.journal = journal;
        this.scheduler = scheduler;
        this.owned = owned;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>/}; callbacks live under {@code callbacks/}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The port the shop listens on (the actual one when started with port 0). */
    public int port() {
        return baseUri.getPort();
    }

    /** The shared secret callbacks must carry in {@value #SECRET_HEADER}. */
    public String secret() {
        return secret;
    }

    /** The secret in the Blockonomics callback URL; generated at start unless given. */
    public String blockonomicsSecret() {
        return blockonomicsSecret;
    }

    public DemoOrders orders() {
        return orders;
    }

    public CallbackJournal journal() {
        return journal;
    }

    public DelayedActionScheduler scheduler() {
        return scheduler;
    }

    /** Blocks until the server stops (e.g. {@link #close()} from a shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the server, then the scheduler or store if the shop made it (an injected scheduler is the caller's). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the demo shop failed", e);
        } finally {
            closeOwned(owned);
        }
    }

    private static void closeOwned(AutoCloseable owned) {
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the demo shop's scheduler failed", e);
        }
    }

    /** Configures and starts a {@link DemoShop}; not thread-safe. */
    public static final class Builder {
        private int port;
        private String secret = "demo-secret";
        private String blockonomicsSecret = BlockonomicsSecrets.generate();
        private Duration paymentDelay = DEFAULT_PAYMENT_DELAY;
        private Clock clock = Clock.systemUTC();
        private DelayedActionScheduler scheduler;
        private Path durableFile;

        private Builder() {
        }

        /** The port on 127.0.0.1; default 0, an ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The shared secret of the demo provider; default {@code demo-secret}. */
        public Builder secret(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("secret must not be empty");
            }
            this.secret = secret;
            return this;
        }

        /** The Blockonomics callback secret; default a new random one. */
        public Builder blockonomicsSecret(String blockonomicsSecret) {
            this.blockonomicsSecret = Objects.requireNonNull(blockonomicsSecret, "blockonomicsSecret");
            return this;
        }

        /** How long after a payment callback its delayed action runs; default 1 s. */
        public Builder paymentDelay(Duration paymentDelay) {
            if (paymentDelay.isNegative()) {
                throw new IllegalArgumentException("paymentDelay must not be negative: " + paymentDelay);
            }
            this.paymentDelay = paymentDelay;
            return this;
        }

        /** The clock of router and payment actions; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The scheduler for delayed actions, e.g. a manual one in tests; it should read the same
         * clock, and stays the caller's to close. Default: an in-memory scheduler polling every
         * 100 ms (or, with {@link #durable(Path)}, the durable one), closed with the shop.
         */
        public Builder scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Keeps the journal and the delayed actions in the H2 database file {@code file} (H2 adds
         * {@code .mv.db}) with callback-jdbc, polling every 100 ms; closed with the shop.
         */
        public Builder durable(Path file) {
            this.durableFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Starts the shop.
         *
         * @throws IOException if the server cannot start, e.g. the port is taken
         * @throws IllegalStateException if both a scheduler and a durable file were given
         */
        public DemoShop start() throws IOException {
            if (scheduler != null && durableFile != null) {
                throw new IllegalStateException("give either a scheduler or a durable file, not both");
            }
            JdbcCallbackStore store = durableFile == null ? null : JdbcCallbackStore.h2(durableFile)
                    .clock(clock)
                    .pollInterval(Duration.ofMillis(100))
                    .closeTimeout(Duration.ofSeconds(5))
                    .build();
            DelayedActionScheduler actions;
            CallbackJournal journal;
            AutoCloseable owned;
            if (store != null) {
                actions = store.scheduler();
                journal = store.journal();
                owned = store;
            } else {
                actions = scheduler != null ? scheduler : InMemoryDelayedActionScheduler.builder()
                        .clock(clock)
                        .pollInterval(Duration.ofMillis(100))
                        .closeTimeout(Duration.ofSeconds(5))
                        .build();
                journal = new InMemoryCallbackJournal();
                owned = scheduler != null ? () -> { } : actions;
            }
            DemoOrders orders = new DemoOrders();
            orders.add(DEMO_ORDER_ID, DEMO_ORDER_AMOUNT);
            orders.add(SECOND_ORDER_ID, DEMO_ORDER_AMOUNT);
            orders.add(BITCOIN_ORDER_ID, BITCOIN_AMOUNT_SATOSHI);
            orders.add(UNDERPAID_ORDER_ID, BITCOIN_AMOUNT_SATOSHI);
            Map<String, String> orderByAddress = Map.of(BITCOIN_ADDRESS, BITCOIN_ORDER_ID,
                    UNDERPAID_ADDRESS, UNDERPAID_ORDER_ID);
            BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder()
                    .secret(blockonomicsSecret)
                    .orders(callback -> Optional.ofNullable(orderByAddress.get(callback.address()))
                            .flatMap(orders::find)
                            .map(order -> new ExpectedPayment(order.id(), Crypto.BTC, order.amountMinor())))
                    .listener(event -> {
                        if (event.kind() == PaymentEvent.Kind.PAID || event.kind() == PaymentEvent.Kind.OVERPAID) {
                            orders.markPaid(event.orderId());
                        }
                    })
                    .build();
            CallbackRouter router = CallbackRouter.builder()
                    .journal(journal)
                    .clock(clock)
                    .endpoint(new DemoPayments(secret, orders, actions, clock, paymentDelay).endpoint())
                    .endpoints(blockonomics.endpoints())
                    .build();
            if (store != null) {
                store.start(); // every handler is registered: actions left from before a restart find theirs
            }

            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addServlet(new ServletHolder("callbacks", new CallbackServlet(router)), "/callbacks/*");
            // exact paths win over the /callbacks/* prefix
            context.addServlet(new ServletHolder("journal", new ShopServlets.Journal(journal)), "/callbacks/journal");
            context.addServlet(new ServletHolder("health", new ShopServlets.Health(actions)), "/callbacks/health");
            context.addServlet(new ServletHolder("orders", new ShopServlets.Orders(orders)), "/orders/*");
            server.setHandler(context);
            try {
                server.start();
            } catch (Exception e) {
                try {
                    server.stop();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                closeOwned(owned);
                throw new IOException("the demo shop could not start on 127.0.0.1:" + port, e);
            }
            return new DemoShop(server, connector.getLocalPort(), secret, blockonomicsSecret, journal, orders, actions,
                    owned);
        }
    }
}
