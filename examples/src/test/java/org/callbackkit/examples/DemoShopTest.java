package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.doctor.DoctorCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
                shop.baseUri() + "callbacks/klarna/push?klarna_order_id={checkout.order.id}").containsKeys("notification", "validation");
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
        assertThat(printed()).contains("orders 1001 PAID, 2001 PAID, 2002 PENDING, 5001 PAID, 3001 PAID, 3002 PAID, 4001 PAID, 4002 PAID; 7 became paid",
                "[ok]   doctor behind no firewall: exit 0",
                "[ok]   doctor behind ModSecurity (Comodo rule 211180 against APIs-Klarna): exit 1",
                "[ok]   doctor behind Wordfence rate limiting (503 after 6 requests a minute): exit 1",
                "[ok]   doctor behind Cloudflare WAF (error 1020 for every callback): exit 1",
                "[ok]   doctor behind a catch-all 200 (the host answers every request itself): exit 1",
                "== callback-doctor whitelist", "SecRule REQUEST_FILENAME");
    }

    @ParameterizedTest
    @EnumSource(SimulatedFirewall.Mode.class)
    void theDoctorFindsEachSimulatedFirewall(SimulatedFirewall.Mode mode) throws Exception {
        shop.firewall(mode);
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        int exit = DoctorCommand.execute(new PrintStream(report, true, StandardCharsets.UTF_8),
                new PrintStream(OutputStream.nullOutputStream()), "check", shop.baseUri().toString(),
                "--provider", "klarna,blockonomics", "--allow-private", "--allow-http", "--burst", "3",
                "--burst-interval", "0ms", "--json");

        JsonNode json = DemoJson.MAPPER.readTree(report.toString(StandardCharsets.UTF_8));
        JsonNode push = check(json, "probe", "klarna/push");
        JsonNode bitcoin = check(json, "probe", "blockonomics/payment btc");
        List<JournalEntry> journaled = chronologicalJournal();
        switch (mode) {
            case NONE -> {
                assertThat(exit).isZero();
                assertThat(json.path("passed").asBoolean()).isTrue();
                assertThat(journaled).hasSize(11 + 3 + 3) // a probe per path and shape (4 kinds not mounted: 404), two bursts
                        .allSatisfy(entry -> assertThat(entry.status() == 200 ? entry.detail().startsWith("probe (")
                                : entry.outcome() == CallbackOutcome.NOT_FOUND).isTrue());
            }
            case MODSECURITY -> {
                assertThat(exit).isEqualTo(1);
                assertDiagnosis(push, "BLOCKED_BY_FIREWALL", "Comodo WAF", "comodo.page");
                assertThat(push.path("diagnosis").path("evidence").path("ruleId").asText()).isEqualTo("211180");
                assertThat(bitcoin.path("status").asText()).isEqualTo("PASS");
                assertThat(journaled).as("blocked before the shop: never journaled")
                        .noneSatisfy(entry -> assertThat(entry.provider()).isEqualTo("klarna"));
            }
            case WORDFENCE -> {
                assertThat(exit).isEqualTo(1);
                assertThat(push.path("status").asText()).isEqualTo("PASS");
                assertDiagnosis(check(json, "burst", "klarna"), "RATE_LIMITED", "Wordfence", "wordfence.rate-limit");
                assertThat(journaled).hasSize(SimulatedFirewall.WORDFENCE_LIMIT); // the seventh request was refused
            }
            case CLOUDFLARE -> {
                assertThat(exit).isEqualTo(1);
                assertDiagnosis(push, "BLOCKED_BY_FIREWALL", "Cloudflare", "cloudflare.access-denied");
                assertThat(push.path("diagnosis").path("evidence").path("rayId").asText()).isEqualTo(SimulatedFirewall.RAY_ID);
                assertDiagnosis(bitcoin, "BLOCKED_BY_FIREWALL", "Cloudflare", "cloudflare.access-denied");
                assertThat(journaled).isEmpty();
            }
            case CATCH_ALL -> {
                assertThat(exit).isEqualTo(1);
                assertDiagnosis(push, "SUSPECT_SUCCESS", null, "suspect.html");
                assertThat(push.path("diagnosis").path("providerWillRetry").asBoolean(true)).isFalse();
                assertThat(journaled).isEmpty();
            }
            default -> throw new AssertionError(mode);
        }
    }

    private static JsonNode check(JsonNode report, String area, String name) {
        for (JsonNode check : report.path(area.equals("burst") ? "burst" : "checks")) {
            if (check.path("area").asText().equals(area) && check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no " + area + " " + name + " in " + report.toPrettyString());
    }

    private static void assertDiagnosis(JsonNode check, String verdict, String firewall, String cause) {
        assertThat(check.path("status").asText()).isEqualTo("FAIL");
        JsonNode diagnosis = check.path("diagnosis");
        assertThat(diagnosis.path("verdict").asText()).isEqualTo(verdict);
        assertThat(diagnosis.path("firewall").isNull() ? null : diagnosis.path("firewall").asText()).isEqualTo(firewall);
        assertThat(diagnosis.path("cause").asText()).isEqualTo(cause);
    }

    @Test
    void theJournalPageIsOffWithoutTheAdminCookie() throws Exception {
        pay("{\"event\":\"PAID\",\"amount\":12345}");

        HttpResponse<String> without = get(DemoShop.JOURNAL_PAGE);
        HttpResponse<String> with = http.send(HttpRequest.newBuilder(shop.baseUri().resolve(DemoShop.JOURNAL_PAGE))
                .header("Cookie", DemoShop.ADMIN_COOKIE + "=" + shop.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(shop.baseUri().resolve(DemoShop.JOURNAL_PAGE))
                .header("Cookie", DemoShop.ADMIN_COOKIE + "=guess").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(without.body()).doesNotContain("/demo/payment");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).contains("1 callback, newest first.", "/demo/payment/1001");
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
