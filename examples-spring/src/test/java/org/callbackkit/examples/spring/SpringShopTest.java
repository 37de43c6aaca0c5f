package org.callbackkit.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.callbackkit.spring.CallbackKitStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot shop as it runs: real Tomcat on a random port, Spring Security's defaults, the
 * durable file store (on the SQLite driver and Jackson that Boot's BOM picks), Klarna played by
 * {@link FakeKlarnaOrderManagement} on loopback. Callbacks go over real HTTP; time is a
 * {@link MutableClock}, and delayed work runs when the test says ({@code callbackkit.store.threads=0}),
 * so an overdue action needs no waiting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"callbackkit.store.threads=0", "spring.security.user.password=ops-test-password",
                "callbackkit.journal.keep-bodies-for=1h", "callbackkit.journal.zone=Europe/Stockholm"})
class SpringShopTest {

    private static final String BLOCKONOMICS_SECRET = "test-secret-0123456789abcdef0123456789";
    private static final FakeKlarnaOrderManagement KLARNA = new FakeKlarnaOrderManagement();
    private static final MutableClock CLOCK = MutableClock.atFixedStart();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ShopOrders orders;

    @Autowired
    CallbackJournal journal;

    @Autowired
    CallbackKitStore store;

    @DynamicPropertySource
    static void shopSettings(DynamicPropertyRegistry registry) throws IOException {
        registry.add("callbackkit.klarna.api-base-uri", () -> KLARNA.serve().toString());
        registry.add("callbackkit.blockonomics.secret", () -> BLOCKONOMICS_SECRET);
        String file = Files.createTempDirectory("spring-shop").resolve("callbacks").toString();
        registry.add("callbackkit.store.file", () -> file);
    }

    @TestConfiguration
    static class Time {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @AfterAll
    static void stopKlarna() {
        KLARNA.close();
    }

    @Test
    void aKlarnaPurchaseWhoseShopperNeverReturnsIsCompletedByThePush() throws Exception {
        var klarna = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
        KLARNA.putOrder(KlarnaOrderBuilder.order(KlarnaCheckout.KLARNA_ORDER_ID).line(KlarnaCheckout.SKU, 1, 24_900).build());

        HttpResponse<String> soldOut = send(klarna.validation(KlarnaOrderBuilder.order(KlarnaCheckout.KLARNA_ORDER_ID)
                .status("checkout_incomplete").fraudStatus(null).line(KlarnaCheckout.SOLD_OUT_SKU, 1, 24_900).build()).build());
        assertThat(soldOut.statusCode()).isEqualTo(303);
        assertThat(soldOut.headers().firstValue("Location")).contains(KlarnaCheckout.SOLD_OUT_PAGE.toString());

        assertThat(send(klarna.push(KlarnaCheckout.KLARNA_ORDER_ID).build()).statusCode()).isEqualTo(200);
        // the push's work is due now; nothing runs it (the "cron never runs" case): health says so
        CLOCK.advance(Duration.ofMinutes(10));
        HttpResponse<String> down = get("/actuator/health", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"callbackKit\":{\"status\":\"DOWN\"").contains("\"overdue\":1");

        assertThat(store.runDue()).isPositive(); // the work runs: re-read, confirm, acknowledge
        assertThat(orders.find(ShopOrders.KLARNA_SHOP_ORDER_ID).orElseThrow().status()).isEqualTo(ShopOrders.Status.PAID);
        assertThat(KLARNA.acknowledged()).containsExactly(KlarnaCheckout.KLARNA_ORDER_ID);
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);

        assertThat(send(klarna.push(KlarnaCheckout.KLARNA_ORDER_ID).build()).statusCode()).isEqualTo(200);
        assertThat(journal.find(JournalQuery.builder().provider("klarna").kind("push").build()))
                .extracting(entry -> entry.outcome()).contains(CallbackOutcome.ACCEPTED, CallbackOutcome.DUPLICATE);

        // and on the metrics endpoint (callback-micrometer, bound by the starter), for the ops role
        HttpResponse<String> pushes = get("/actuator/metrics/callbackkit.callbacks?tag=provider:klarna&tag=kind:push"
                + "&tag=outcome:accepted", "ops:ops-test-password");
        assertThat(pushes.statusCode()).as(pushes.body()).isEqualTo(200);
        assertThat(pushes.body()).contains("\"statistic\":\"COUNT\",\"value\":1.0");
        assertThat(get("/actuator/metrics/callbackkit.provider.calls", "ops:ops-test-password").body())
                .contains("GET /ordermanagement/v1/orders/{id}", "\"status\"");
        assertThat(get("/actuator/metrics/callbackkit.action.runs?tag=type:klarna.push", "ops:ops-test-password")
                .body()).contains("\"statistic\":\"COUNT\"");
        assertThat(get("/actuator/metrics/callbackkit.actions.overdue", "ops:ops-test-password").body())
                .contains("\"value\":0.0");
    }

    @Test
    void aBitcoinPaymentIsCountedOnceItIsConfirmedAndAForgedCallbackIsRefused() throws Exception {
        var blockonomics = new BlockonomicsCallbackRequests(BLOCKONOMICS_SECRET);
        String address = BitcoinPayments.BITCOIN_ADDRESS;

        assertThat(send(blockonomics.unconfirmed(address, 100_000, "tx-2001")).statusCode()).isEqualTo(200);
        assertThat(send(blockonomics.partiallyConfirmed(address, 100_000, "tx-2001")).statusCode()).isEqualTo(200);
        assertThat(orders.find(ShopOrders.BITCOIN_ORDER_ID).orElseThrow().status()).isEqualTo(ShopOrders.Status.OPEN);
        assertThat(send(blockonomics.confirmed(address, 100_000, "tx-2001")).statusCode()).isEqualTo(200);
        assertThat(orders.find(ShopOrders.BITCOIN_ORDER_ID).orElseThrow().status()).isEqualTo(ShopOrders.Status.PAID);
        assertThat(send(blockonomics.confirmed(address, 100_000, "tx-2001")).statusCode()).isEqualTo(200); // duplicate

        assertThat(send(blockonomics.confirmed(BitcoinPayments.UNDERPAID_ADDRESS, 60_000, "tx-2002")).statusCode())
                .isEqualTo(200);
        assertThat(orders.find(ShopOrders.UNDERPAID_ORDER_ID).orElseThrow().status()).isEqualTo(ShopOrders.Status.OPEN);

        var forger = new BlockonomicsCallbackRequests("not-the-secret-0123456789abcdef");
        assertThat(send(forger.confirmed(BitcoinPayments.UNDERPAID_ADDRESS, 40_000, "tx-forged")).statusCode())
                .isEqualTo(403);
        assertThat(journal.find(JournalQuery.builder().provider("blockonomics").build()))
                .extracting(entry -> entry.outcome())
                .contains(CallbackOutcome.ACCEPTED, CallbackOutcome.DUPLICATE, CallbackOutcome.REJECTED_AUTH);
    }

    @Test
    void theJournalPageShowsTheCallbacksToTheOpsRoleOnly() throws Exception {
        send(new BlockonomicsCallbackRequests(BLOCKONOMICS_SECRET).unconfirmed(BitcoinPayments.UNDERPAID_ADDRESS, 1, "tx-page"));

        assertThat(get("/admin/callbacks/", null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/admin/callbacks/", "ops:ops-test-password");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("blockonomics", "Europe/Stockholm");
    }

    @Test
    void theJournalPageIsTheConsoleWithDelayedWorkAndReDispatch() throws Exception {
        var forger = new BlockonomicsCallbackRequests("not-the-secret-0123456789abcdef");
        assertThat(send(forger.confirmed(BitcoinPayments.UNDERPAID_ADDRESS, 1, "tx-console")).statusCode()).isEqualTo(403);
        String refused = journal.find(JournalQuery.builder().provider("blockonomics").build()).get(0).id();

        HttpResponse<String> work = get("/admin/callbacks/work", "ops:ops-test-password");
        assertThat(work.statusCode()).as("the starter gives the page its scheduler").isEqualTo(200);
        assertThat(work.body()).contains("<h1>Delayed work</h1>");
        assertThat(get("/admin/callbacks/entry?id=" + refused, "ops:ops-test-password").body())
                .as("and its router, which keeps bodies for re-dispatch").contains("action=\"redispatch\"");
    }

    private HttpResponse<String> send(CallbackRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/callbacks"
                        + request.pathAndQuery()))
                .method(request.method(), request.bodyLength() == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().asMap().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes()));
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
