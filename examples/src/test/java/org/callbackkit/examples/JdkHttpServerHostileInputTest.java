package org.callbackkit.examples;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.InMemoryPaymentLedger;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.test.HostileInputContract;
import org.callbackkit.test.HostileInputServer;
import org.callbackkit.test.HostileInputTarget;

/**
 * The second adapter, {@link JdkHttpServerCallbacks} on the JDK's own {@code HttpServer}, against
 * the same hostile-input contract as the servlet: a JSON POST (Ecster) and a GET with a query
 * (Blockonomics), every attack sent over real HTTP. Three attacks are met by the JDK's server
 * before the adapter runs, in ways no adapter can change; they are reported as skipped, with why.
 */
class JdkHttpServerHostileInputTest extends HostileInputContract {

    private static final String TOKEN = "token-for-hostile-input";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Override
    protected HostileInputServer startServer(CallbackRouter router) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/callbacks", new JdkHttpServerCallbacks(router));
        server.start();
        return new HostileInputServer() {
            @Override
            public int port() {
                return server.getAddress().getPort();
            }

            @Override
            public Map<String, String> exemptions() {
                return EXEMPTIONS;
            }

            @Override
            public void close() {
                server.stop(0);
            }
        };
    }

    /** What the JDK's HttpServer does before any handler runs, which no adapter can change; docs/architecture.md says so. */
    private static final Map<String, String> EXEMPTIONS = Map.of(
            "a body that stops arriving", "the JDK's HttpServer has no read timeout: a stalled body holds its handler thread (the only one, without an executor)"
                    + " until the client goes, and no handler can answer 408; put a proxy with one in front",
            "a bare CR inside a header value", "the JDK's HttpServer ends a header line at a bare CR, so the adapter"
                    + " receives two clean headers (RFC 9112 says refuse it or read it as a space)",
            "a folded (obs-fold) header line", "the JDK's HttpServer joins a folded line with a space, which RFC 9112"
                    + " allows as the alternative to refusing it");

    @Override
    protected HostileInputTarget createTarget() {
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        AtomicLong calls = new AtomicLong();
        EcsterCallbacks ecster = EcsterCallbacks.builder().api(new FakeEcsterApi())
                .shop(new org.callbackkit.ecster.EcsterShop() {
                    @Override
                    public Optional<org.callbackkit.ecster.EcsterShopOrder> findOrder(String ecsterOrderId) {
                        calls.incrementAndGet();
                        return Optional.empty();
                    }

                    @Override
                    public void onStateChange(org.callbackkit.ecster.EcsterStateChange change) {
                        calls.incrementAndGet();
                    }
                })
                .scheduler(scheduler).clock(clock).sharedHeader("X-Shop-Token", TOKEN).build();
        BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder().secret(SECRET)
                .ledger(new InMemoryPaymentLedger())
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(org.callbackkit.blockonomics.BlockonomicsCallback callback) {
                        calls.incrementAndGet();
                        return Optional.of(new ExpectedPayment("order-1", Crypto.BTC, 100_000));
                    }

                    @Override
                    public void onPayment(org.callbackkit.blockonomics.PaymentEvent event) {
                        calls.incrementAndGet();
                    }
                })
                .build();
        CallbackRouter router = CallbackRouter.builder().journal(new InMemoryCallbackJournal()).clock(clock)
                .endpoints(ecster.endpoints()).endpoints(blockonomics.endpoints()).build();
        return HostileInputTarget.builder(router)
                .sample("ecster notification", new EcsterCallbackRequests().sharedHeader("X-Shop-Token", TOKEN)
                        .receivedAt(clock.instant()).notification("eYBtAD0wTZIzDWkVpGhe", "READY"))
                .sample("blockonomics payment", new BlockonomicsCallbackRequests(SECRET).confirmed(
                        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 100_000,
                        "2cb2f8d5b3a6e3c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7"))
                .listenerCalls(calls::get)
                .scheduler(scheduler)
                .build();
    }
}
