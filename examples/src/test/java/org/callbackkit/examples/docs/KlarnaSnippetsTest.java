package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.callbackkit.klarna.FraudStatus;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaCheckoutAnswer;
import org.callbackkit.klarna.KlarnaCredentials;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaRegion;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Klarna snippets of README.md and docs/klarna.md, run. */
class KlarnaSnippetsTest {

    private static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();

    /** The host's own Klarna shop, as a newcomer writes it: one order, paid when Klarna accepts it. */
    public static class MyKlarnaShop implements KlarnaShop {
        final List<String> paid = new ArrayList<>();

        @Override
        public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
            // look the order up in your database by the Klarna order id you stored at checkout
            return Optional.of(KlarnaShopOrder.of("1001", "SEK", 24900)); // reference, currency, total in minor units
        }

        @Override
        public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
            if (order.fraudStatus() == FraudStatus.ACCEPTED) {
                paid.add(shopOrder.reference());                     // mark it paid; PENDING or REJECTED: hold it
            }
        }

        @Override
        public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
            // Klarna's order differs from yours (total, currency, lines): not acknowledged, a person looks
        }
    }

    /** The plain servlet set-up of the README, as a listener any servlet container runs. */
    static final class CallbackSetup implements ServletContextListener {
        private final Path databaseFile;
        private final String merchantId;
        private final String sharedSecret;
        private final KlarnaShop klarnaShop;
        JdbcCallbackStore store;
        KlarnaCallbacks klarna;

        CallbackSetup(Path databaseFile, String merchantId, String sharedSecret, KlarnaShop klarnaShop) {
            this.databaseFile = databaseFile;
            this.merchantId = merchantId;
            this.sharedSecret = sharedSecret;
            this.klarnaShop = klarnaShop;
        }

        // tag::klarna-servlet[]
        @Override
        public void contextInitialized(ServletContextEvent event) {
            store = JdbcCallbackStore.sqlite(databaseFile).build();      // durable: SQLite in one file
            klarna = KlarnaCallbacks.builder()
                    .environment(KlarnaEnvironment.PLAYGROUND)            // LIVE once you go live
                    .credentials(new KlarnaCredentials(merchantId, sharedSecret))
                    .shop(klarnaShop)                                     // your KlarnaShop, e.g. new KlarnaOrders(orders)
                    .scheduler(store.scheduler()).stateStore(store.stateStore()).journal(store.journal())
                    .build();
            CallbackRouter router = CallbackRouter.builder()
                    .endpoints(klarna.endpoints()).journal(store.journal()).build();
            event.getServletContext().addServlet("callbacks", new CallbackServlet(router)).addMapping("/callbacks/*");
            store.start();                                               // runs pending work, also after a restart
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            klarna.close();                                              // its validator threads
            store.close();
        }
        // end::klarna-servlet[]
    }

    @Test
    void thePlainServletSetUpAnswersOverHttp() throws Exception {
        MyKlarnaShop shop = new MyKlarnaShop();
        CallbackSetup setup = new CallbackSetup(dir.resolve("callbacks.db"), "PK12345_0a1b2c3d", "not-a-real-secret", shop);
        try (LoopbackJetty jetty = new LoopbackJetty()) {
            jetty.context.addEventListener(setup);
            jetty.start();
            // the doctor's probe: routed and journaled, and answered without calling Klarna or the shop
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    jetty.uri("/callbacks/klarna/push?klarna_order_id=" + ORDER))
                    .header("X-Callback-Kit-Probe", "docs").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"probe\":\"ok\"");
            assertThat(setup.store.journal().find(JournalQuery.builder().provider("klarna").build())).hasSize(1);
            // step 3 of the README: the merchant URLs to give Klarna with each checkout order
            Map<String, String> merchantUrls = setup.klarna.merchantUrls("https://shop.example/callbacks");
            assertThat(merchantUrls.get("push"))
                    .isEqualTo("https://shop.example/callbacks/klarna/push?klarna_order_id={checkout.order.id}");
        }
        assertThat(shop.paid).isEmpty();
    }

    @Test
    void theFullBuilderValidatesWithinTheDeadline() {
        KlarnaShop myKlarnaShop = new MyKlarnaShop();
        String merchantId = "PK12345_0a1b2c3d";
        String sharedSecret = "not-a-real-secret";
        StateStore stateStore = new InMemoryStateStore();
        // tag::klarna-builder[]
        KlarnaCallbacks klarna = KlarnaCallbacks.builder()
                .flavour(KlarnaFlavour.KLARNA)                        // or KUSTOM; default: told by the credentials
                .region(KlarnaRegion.EU).environment(KlarnaEnvironment.LIVE)
                .credentials(new KlarnaCredentials(merchantId, sharedSecret))
                .shop(myKlarnaShop)
                .validator(order -> order.orderLines().isEmpty()
                        ? KlarnaCheckoutAnswer.redirect(URI.create("https://shop.example/cart"))
                        : KlarnaCheckoutAnswer.approve(),
                        KlarnaCheckoutAnswer.approve())               // when the validator throws or overruns
                .deadline(Duration.ofMillis(2500))
                .amountTolerance(1)
                .scheduler(scheduler).stateStore(stateStore).journal(journal).clock(clock)
                .build();
        CallbackRouter router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal).clock(clock).build();
        // end::klarna-builder[]
        try (klarna) {
            var requests = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
            assertThat(router.dispatch(requests.validation(KlarnaCallbackRequests.sampleOrder()).build()).status())
                    .isEqualTo(200);
            assertThat(scheduler.pending()).isEmpty();
        }
    }

    @Test
    void scriptRunVerify() {
        MyKlarnaShop shop = new MyKlarnaShop();
        // tag::klarna-test[]
        var klarnaApi = new FakeKlarnaOrderManagement();
        var klarna = KlarnaCallbacks.builder().environment(KlarnaEnvironment.PLAYGROUND).api(klarnaApi).shop(shop)
                .scheduler(scheduler).journal(journal).clock(clock).build();
        var router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal).clock(clock).build();

        klarnaApi.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 24900).build());      // script
        klarnaApi.failNext(FakeKlarnaOrderManagement.Call.GET_ORDER, 503, "SERVICE_UNAVAILABLE");
        router.dispatch(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA).push(ORDER).build());   // run
        scheduler.runDue();                                  // the 503: retried in 30 s
        scheduler.tick(Duration.ofSeconds(30));
        assertThat(klarnaApi.acknowledged()).containsExactly(ORDER);                             // verify
        assertThat(shop.paid).containsExactly("1001");
        Settlement shown = klarna.confirmOrder(ORDER);      // the shopper's browser, late: already settled
        assertThat(shown.outcome()).isEqualTo(Settlement.Outcome.ALREADY_SETTLED);
        // end::klarna-test[]
        klarna.close();
    }
}
