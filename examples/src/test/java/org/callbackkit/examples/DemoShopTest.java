package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.callbackkit.core.CallbackOutcome;
import org.callbackkit.core.JournalEntry;
import org.callbackkit.core.JournalQuery;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoShopTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private DemoShop shop;

    @BeforeEach
    void start() throws Exception {
        shop = DemoShop.builder().port(0).clock(clock).scheduler(scheduler).start();
    }

    @AfterEach
    void stop() {
        shop.close();
        scheduler.close();
    }

    @Test
    void everyScenarioGetsItsAnswerAndTheOrderIsPaidOnce() throws Exception {
        DemoDriver driver = new DemoDriver(shop.baseUri(), shop.secret(), shop.blockonomicsSecret(),
                () -> scheduler.tick(DemoShop.DEFAULT_PAYMENT_DELAY) > 0, out());

        assertThat(driver.run()).as(printed()).isTrue();

        assertThat(printed()).contains("scenarios: 38 as expected, 0 not").doesNotContain("[FAIL]");
        assertThat(shop.orders().find(DemoShop.DEMO_ORDER_ID)).hasValueSatisfying(
                order -> assertThat(order.status()).isEqualTo(DemoOrders.Status.PAID));
        assertThat(shop.orders().paidTransitions()).as("each order paid once, the races included").isEqualTo(7);
        for (String order : List.of(DemoShop.KLARNA_SHOP_ORDER_ID, "3001", "3002", "4001", "4002")) {
            assertThat(shop.orders().find(order)).hasValueSatisfying(
                    o -> assertThat(o.status()).isEqualTo(DemoOrders.Status.PAID));
        }
        assertThat(shop.orders().find(DemoShop.BITCOIN_ORDER_ID)).hasValueSatisfying(
                order -> assertThat(order.status()).isEqualTo(DemoOrders.Status.PAID));
        assertThat(shop.orders().find(DemoShop.UNDERPAID_ORDER_ID)).hasValueSatisfying(
                order -> assertThat(order.status()).isEqualTo(DemoOrders.Status.PENDING));
        assertThat(chronologicalJournal().get(14).detail()).isEqualTo("order 2002: order underpaid");
        assertThat(chronologicalJournal().get(15).query().get("secret")).containsExactly("***");
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
        assertThat(chronologicalJournal()).extracting(JournalEntry::status, JournalEntry::outcome).containsExactly(
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.DUPLICATE),
                tuple(403, CallbackOutcome.REJECTED_AUTH),
                tuple(400, CallbackOutcome.REJECTED_INPUT),
                tuple(415, CallbackOutcome.REJECTED_INPUT),
                tuple(405, CallbackOutcome.REJECTED_INPUT),
                tuple(404, CallbackOutcome.NOT_FOUND),
                tuple(404, CallbackOutcome.NOT_FOUND),
                tuple(413, CallbackOutcome.REJECTED_INPUT),
                tuple(200, CallbackOutcome.DUPLICATE),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.DUPLICATE),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(403, CallbackOutcome.REJECTED_AUTH),
                tuple(303, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.DUPLICATE),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(403, CallbackOutcome.REJECTED_AUTH),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(200, CallbackOutcome.ACCEPTED),
                tuple(404, CallbackOutcome.REJECTED_INPUT),
                tuple(200, CallbackOutcome.DUPLICATE));
        assertThat(chronologicalJournal().get(18).kind()).isEqualTo("push.completed");
        assertThat(chronologicalJournal().get(19).detail()).contains("already acknowledged");
        assertThat(chronologicalJournal().get(2).headers().get(DemoShop.SECRET_HEADER)).containsExactly("***");
        assertThat(chronologicalJournal().get(22).headers().get(DemoEcster.HEADER)).containsExactly("***");
        assertThat(chronologicalJournal().get(23).headers().get("Authorization")).containsExactly("***");
        assertThat(chronologicalJournal()).extracting(JournalEntry::provider).containsSequence("ecster", "ecster", "ecster",
                "avarda", "avarda", "avarda", "avarda");
    }

    @Test
    void klarnaMerchantUrlsPointAtTheMountedEndpoints() {
        assertThat(shop.klarnaMerchantUrls()).containsEntry("push",
                shop.baseUri() + "callbacks/klarna/push/{checkout.order.id}").containsKeys("notification", "validation");
    }

    @Test
    void theDriverReportsScenariosThatDidNotGoAsExpected() throws Exception {
        DemoDriver driver = new DemoDriver(shop.baseUri(), "not-the-shop's-secret", shop.blockonomicsSecret(),
                () -> scheduler.tick(DemoShop.DEFAULT_PAYMENT_DELAY) > 0, out());

        assertThat(driver.run()).isFalse();

        assertThat(printed()).contains("[FAIL] valid payment", "[FAIL] order after the action")
                .contains("[ok]   wrong secret", "[ok]   oversized body");
        assertThat(shop.orders().find(DemoShop.DEMO_ORDER_ID)).hasValueSatisfying(
                order -> assertThat(order.status()).isEqualTo(DemoOrders.Status.PENDING));
    }

    @Test
    void aPaymentOfTheWrongAmountIsAcceptedButTheActionGivesUp() throws Exception {
        HttpResponse<String> response = pay("{\"event\":\"PAID\",\"amount\":1}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(scheduler.tick(DemoShop.DEFAULT_PAYMENT_DELAY)).isEqualTo(1);
        assertThat(scheduler.dead()).singleElement()
                .satisfies(dead -> assertThat(dead.lastError()).startsWith("amount mismatch"));
        assertThat(shop.orders().find(DemoShop.DEMO_ORDER_ID).orElseThrow().status())
                .isEqualTo(DemoOrders.Status.PENDING);
        assertThat(shop.orders().paidTransitions()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "{\"event\":\"PAID\"}", "{\"amount\":12345}", "{\"event\":\"PAID\",\"amount\":\"12345\"}",
        "{\"event\":\"PAID\",\"amount\":123.45}", "{\"event\":\"PAID\",\"amount\":-1}",
        "{\"event\":\"REFUNDED\",\"amount\":12345}", "{\"event\":\"PAID\",\"amount\":12345,\"extra\":1}",
        "{\"event\":\"PAID\",\"amount\":12345,\"amount\":1}", "{\"event\":\"PAID\",\"amount\":12345} {}"})
    void bodiesThatAreNotExactlyAPaymentAreRejected(String body) throws Exception {
        HttpResponse<String> response = pay(body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(scheduler.pending()).isEmpty();
        assertThat(chronologicalJournal()).singleElement()
                .satisfies(entry -> assertThat(entry.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
    }

    @Test
    void journalPageFiltersByOutcomeAndLimitsNewestFirst() throws Exception {
        pay("nonsense");
        pay("{\"event\":\"PAID\",\"amount\":12345}");
        pay("more nonsense");

        HttpResponse<String> response = get("callbacks/journal?provider=demo&outcome=rejected_input&limit=1");

        assertThat(response.statusCode()).isEqualTo(200);
        var entries = DemoJson.MAPPER.readTree(response.body()).path("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("bodyBytes").asInt()).isEqualTo("more nonsense".length());
        assertThat(entries.get(0).path("headers").path(DemoShop.SECRET_HEADER).get(0).asText()).isEqualTo("***");
        assertThat(get("callbacks/journal?outcome=LOST").statusCode()).isEqualTo(400);
        assertThat(get("callbacks/journal?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void healthPageShowsPendingWork() throws Exception {
        pay("{\"event\":\"PAID\",\"amount\":12345}");

        var health = DemoJson.MAPPER.readTree(get("callbacks/health").body());

        assertThat(health.path("pending").asInt()).isEqualTo(1);
        assertThat(health.path("healthy").asBoolean()).isTrue();
    }

    @Test
    void theDemoRunsAgainstTheRealScheduler() throws Exception {
        assertThat(DemoMain.runDemo(0, out())).as(printed()).isTrue();
        assertThat(printed()).contains("orders 1001 PAID, 2001 PAID, 2002 PENDING, 5001 PAID, 3001 PAID, 3002 PAID, 4001 PAID, 4002 PAID; 7 became paid");
    }

    private List<JournalEntry> chronologicalJournal() {
        List<JournalEntry> entries = new ArrayList<>(shop.journal().find(JournalQuery.builder().limit(1000).build()));
        java.util.Collections.reverse(entries);
        return entries;
    }

    private HttpResponse<String> pay(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        shop.baseUri().resolve("callbacks/demo/payment/" + DemoShop.DEMO_ORDER_ID))
                .header("Content-Type", "application/json")
                .header(DemoShop.SECRET_HEADER, shop.secret())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(shop.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private PrintStream out() {
        return new PrintStream(printed, true, StandardCharsets.UTF_8);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
