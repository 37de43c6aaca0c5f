package org.callbackkit.examples;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsSecrets;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalServlet;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A demo shop on embedded Jetty (127.0.0.1 only) that takes payment callbacks the way a real shop
 * wires Callback Kit: a {@link CallbackRouter} with a journal, a delayed-action scheduler, and an
 * order store. Journal, scheduler, what was done and the Blockonomics ledger are in memory, or,
 * with {@link Builder#durable(Path)}, in a SQLite file through callback-jdbc, where pending actions and
 * counted payments survive a restart (the orders themselves stay in memory: a restarted demo shop
 * starts with its orders unpaid).
 *
 * <ul>
 *   <li>{@code POST /callbacks/demo/payment/{orderId}}: the demo provider's payment callback,
 *       JSON {@code {"event":"PAID","amount":12345}} with header {@code X-Demo-Secret};</li>
 *   <li>{@code GET /callbacks/blockonomics/payment?secret=...}: Blockonomics payment callbacks for
 *       the bitcoin orders {@value #BITCOIN_ORDER_ID} and {@value #UNDERPAID_ORDER_ID};</li>
 *   <li>{@code POST /callbacks/klarna/{push,notification,validation}/{klarnaOrderId}}: Klarna
 *       callbacks for order {@value #KLARNA_SHOP_ORDER_ID}, re-read from a Klarna played on loopback;</li>
 *   <li>{@code POST /callbacks/ecster/notification} and {@code POST /callbacks/avarda/completed}: Ecster's
 *       and Avarda's notifications for the orders of {@link #ECSTER_SHOP_ORDERS} and
 *       {@link #AVARDA_SHOP_ORDERS}, read from loopback fakes of their APIs after the payment delay;</li>
 *   <li>{@code GET /checkout/ecster/return?orderId=} and {@code GET /checkout/avarda/return?purchaseId=}:
 *       the shopper's return pages, which confirm the order at once;</li>
 *   <li>{@code GET /callbacks/journal[?provider=&outcome=&limit=]}: the journal, newest first, as JSON;</li>
 *   <li>{@code GET /admin/journal/}: the journal page for operators (list, filters, pages, detail with
 *       diagnosis, compare, order view, delayed work with "run now", JSON at {@code api/}), open to a
 *       browser carrying the cookie
 *       {@value #ADMIN_COOKIE}{@code =}{@link #adminToken()};</li>
 *   <li>{@code GET /callbacks/health}: the store's and the scheduler's health;</li>
 *   <li>{@code GET /orders/{id}}: one order and its status.</li>
 * </ul>
 *
 * <p>A {@link SimulatedFirewall} stands in front of {@code /callbacks/*}; it lets everything through
 * until {@link #firewall(SimulatedFirewall.Mode)} switches it to play ModSecurity, Wordfence,
 * Cloudflare or a catch-all 200.
 *
 * <p>Seeded with order {@value #DEMO_ORDER_ID} of {@value #DEMO_ORDER_AMOUNT} minor units.
 * Start with {@link #builder()}; {@link #close()} stops the server and the scheduler (or store) it made.
 */
public final class DemoShop implements AutoCloseable {

    /** Jetty's request line and headers limit here, set explicitly (a provider sends far less). */
    static final int REQUEST_HEADER_BYTES = 8 * 1024;
    /** How long a connection may sit idle: a body that stops arriving is ended (408) after this. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

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
    /** The order bought through Klarna, completed by Klarna's push. */
    public static final String KLARNA_SHOP_ORDER_ID = DemoKlarna.SHOP_ORDER_ID;
    /** Klarna's id of that purchase. */
    public static final String KLARNA_ORDER_ID = DemoKlarna.KLARNA_ORDER_ID;
    /** The cookie that opens the journal page; its value is {@link #adminToken()}. */
    public static final String ADMIN_COOKIE = "callback-kit-admin";
    /** How long the demo keeps each callback whole, for the journal page's re-dispatch. */
    public static final Duration KEEP_BODIES_FOR = Duration.ofDays(1);
    /** The zone the journal page shows beside UTC. */
    public static final ZoneId JOURNAL_PAGE_ZONE = ZoneId.of("Europe/Stockholm");
    /** Where the journal page is mounted. */
    public static final String JOURNAL_PAGE = "admin/journal/";
    /** The shop orders paid through Ecster: the shopper never returns (first), the browser wins the race (second). */
    public static final List<String> ECSTER_SHOP_ORDERS = List.of(DemoEcster.MOBILE_SHOP_ORDER, DemoEcster.RACE_SHOP_ORDER);
    /** The shop orders paid through Avarda, in the same two roles. */
    public static final List<String> AVARDA_SHOP_ORDERS = List.of(DemoAvarda.MOBILE_SHOP_ORDER, DemoAvarda.RACE_SHOP_ORDER);
    /** The shopper's return page of an Ecster checkout: {@code ?orderId=}. */
    public static final String ECSTER_RETURN_PATH = "/checkout/ecster/return";
    /** The shopper's return page of an Avarda checkout: {@code ?purchaseId=}. */
    public static final String AVARDA_RETURN_PATH = "/checkout/avarda/return";
    /**
     * How long after a payment callback (the demo provider's, Ecster's, Avarda's) the order is
     * processed, unless told otherwise: short, so the demo need not wait Ecster's and Avarda's 120 s.
     */
    public static final Duration DEFAULT_PAYMENT_DELAY = Duration.ofSeconds(1);

    private final Server server;
    private final URI baseUri;
    private final String secret;
    private final String blockonomicsSecret;
    private final DemoOrders orders;
    private final CallbackJournal journal;
    private final DelayedActionScheduler scheduler;
    private final AutoCloseable owned;
    private final List<AutoCloseable> providerFakes;
    private final DemoKlarna klarna;
    private final SimulatedFirewall firewall;
    private final String adminToken;

    private DemoShop(Server server, int port, String secret, String blockonomicsSecret, CallbackJournal journal,
            DemoOrders orders, DelayedActionScheduler scheduler, AutoCloseable owned, List<AutoCloseable> providerFakes,
            DemoKlarna klarna, SimulatedFirewall firewall, String adminToken) {
        this.server = server;
        this.baseUri = URI.create("http://127.0.0.1:" + port + "/");
        this.secret = secret;
        this.blockonomicsSecret = blockonomicsSecret;
        this.orders = orders;
        this.journal = journal;
        this.scheduler = scheduler;
        this.owned = owned;
        this.providerFakes = providerFakes;
        this.klarna = klarna;
        this.firewall = firewall;
        this.adminToken = adminToken;
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

    /** The {@code merchant_urls} a real shop would send Klarna when creating the checkout. */
    public Map<String, String> klarnaMerchantUrls() {
        return klarna.merchantUrls(baseUri + "callbacks");
    }

    /** Puts {@code mode} in front of the callbacks (and forgets what a rate limit counted). */
    public void firewall(SimulatedFirewall.Mode mode) {
        firewall.mode(mode);
    }

    /** What stands in front of the callbacks now. */
    public SimulatedFirewall.Mode firewall() {
        return firewall.mode();
    }

    /** The value of cookie {@value #ADMIN_COOKIE} that opens the journal page; random per start unless given. */
    public String adminToken() {
        return adminToken;
    }

    /** Blocks until the server stops (e.g. {@link #close()} from a shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the server, the fake provider APIs, then the scheduler or store if the shop made it (an
     * injected scheduler is the caller's).
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the demo shop failed", e);
        } finally {
            klarna.close();
            closeAll(providerFakes);
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

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("stopping a fake provider API failed", e);
            }
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
        private String adminToken = BlockonomicsSecrets.generate();
        private Path durableFile;

        private Builder() {
        }

        /**
         * The token of the journal page's cookie; default a new random one.
         *
         * @throws IllegalArgumentException if shorter than 16 characters
         */
        public Builder adminToken(String adminToken) {
            if (adminToken == null || adminToken.length() < 16) {
                throw new IllegalArgumentException("the admin token needs at least 16 characters");
            }
            this.adminToken = adminToken;
            return this;
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

        /** How long after a payment callback (demo, Ecster, Avarda) its delayed action runs; default 1 s. */
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
         * Keeps the journal, the delayed actions, what was done and the Blockonomics ledger in the
         * SQLite database file {@code file} with callback-jdbc, polling every 100 ms; closed with
         * the shop.
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
            JdbcCallbackStore store = durableFile == null ? null : JdbcCallbackStore.sqlite(durableFile)
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
            // What was already done (acknowledged, reported paid, payments counted) lives with the
            // actions: durable or not together.
            StateStore state = store != null ? store.stateStore() : new InMemoryStateStore();
            BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder()
                    .secret(blockonomicsSecret)
                    .shop(new BlockonomicsShop() {
                        @Override
                        public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                            return Optional.ofNullable(orderByAddress.get(callback.address())).flatMap(orders::find)
                                    .map(order -> new ExpectedPayment(order.id(), Crypto.BTC, order.amountMinor()));
                        }

                        @Override
                        public void onPayment(PaymentEvent event) {
                            if (event.kind() == PaymentEvent.Kind.PAID || event.kind() == PaymentEvent.Kind.OVERPAID) {
                                orders.markPaid(event.orderId());
                            }
                        }
                    })
                    .stateStore(state)
                    .build();
            DemoEcster ecster = new DemoEcster(orders, actions, journal, state, clock, paymentDelay);
            DemoAvarda avarda = new DemoAvarda(orders, actions, journal, state, clock, paymentDelay);
            List<AutoCloseable> providerFakes = List.of(ecster, avarda);
            DemoKlarna klarna = new DemoKlarna(orders, actions, journal, state, clock);
            CallbackRouter router = CallbackRouter.builder()
                    .journal(journal)
                    .clock(clock)
                    .keepBodies(KEEP_BODIES_FOR, 1000) // the journal page's re-dispatch
                    .endpoint(new DemoPayments(secret, orders, actions, clock, paymentDelay).endpoint())
                    .endpoints(blockonomics.endpoints())
                    .endpoints(klarna.endpoints())
                    .endpoints(ecster.endpoints())
                    .endpoints(avarda.endpoints())
                    .build();
            if (store != null) {
                store.start(); // every handler is registered: actions left from before a restart find theirs
            }

            Server server = new Server();
            // The container's limits, where the callback servlet cannot set its own: the request line
            // and headers (no provider sends more than a few hundred bytes of them), and how long a
            // connection may sit idle, which ends a body that stops arriving (answered 408).
            HttpConfiguration http = new HttpConfiguration();
            http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            SimulatedFirewall firewall = new SimulatedFirewall(clock);
            context.addFilter(new FilterHolder(firewall), "/callbacks/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder("callbacks", new CallbackServlet(router)), "/callbacks/*");
            String token = adminToken;
            context.addServlet(new ServletHolder("journal-page", JournalServlet.builder(journal)
                    .classifier(StatusClassifier.expert(router.endpoints()))
                    .scheduler(actions)
                    .router(router)
                    .clock(clock)
                    .zone(JOURNAL_PAGE_ZONE)
                    .operator(request -> "demo admin")
                    .authorization(request -> hasAdminCookie(request, token))
                    .build()), "/" + JOURNAL_PAGE + "*");
            // exact paths win over the /callbacks/* prefix
            context.addServlet(new ServletHolder("journal", new ShopServlets.Journal(journal)), "/callbacks/journal");
            context.addServlet(new ServletHolder("health", new ShopServlets.Health(actions, store)), "/callbacks/health");
            context.addServlet(new ServletHolder("orders", new ShopServlets.Orders(orders)), "/orders/*");
            context.addServlet(new ServletHolder("ecster-return", new ShopServlets.ReturnPage("orderId", ecster::confirm)),
                    ECSTER_RETURN_PATH);
            context.addServlet(new ServletHolder("avarda-return", new ShopServlets.ReturnPage("purchaseId", avarda::confirm)),
                    AVARDA_RETURN_PATH);
            server.setHandler(context);
            try {
                server.start();
            } catch (Exception e) {
                try {
                    server.stop();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                klarna.close();
                closeAll(providerFakes);
                closeOwned(owned);
                throw new IOException("the demo shop could not start on 127.0.0.1:" + port, e);
            }
            return new DemoShop(server, connector.getLocalPort(), secret, blockonomicsSecret, journal, orders, actions,
                    owned, providerFakes, klarna, firewall, token);
        }

        /** The journal page's authorization check: the admin cookie, compared in constant time. */
        private static boolean hasAdminCookie(HttpServletRequest request, String token) {
            Cookie[] cookies = request.getCookies();
            for (Cookie cookie : cookies == null ? new Cookie[0] : cookies) {
                if (ADMIN_COOKIE.equals(cookie.getName()) && MessageDigest.isEqual(
                        cookie.getValue().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        }
    }
}
