package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callbackkit.klarna.KlarnaFixture.ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Validation, the three checkout updates and fraud notifications, through the real router. */
class KlarnaCheckoutCallbacksTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KlarnaOrder CART = KlarnaOrderBuilder.order(ORDER).status("checkout_incomplete").fraudStatus(null)
            .line("sku-1", 2, 5000).build();

    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private KlarnaFixture fixture;

    @AfterEach
    void releaseBlockedCallbacks() {
        release.countDown();
        if (fixture != null) {
            fixture.klarna.close();
        }
    }

    private KlarnaFixture withValidator(KlarnaFlavour flavour, KlarnaValidator validator) {
        fixture = new KlarnaFixture(flavour, KlarnaCallbacks.builder().validator(order -> {
            calls.incrementAndGet();
            return validator.validate(order);
        }, KlarnaCheckoutAnswer.approve()).deadline(Duration.ofMillis(200)));
        return fixture;
    }

    private KlarnaFixture withUpdates(KlarnaFlavour flavour, KlarnaCheckoutUpdates updates) {
        fixture = new KlarnaFixture(flavour, KlarnaCallbacks.builder().checkoutUpdates(updates));
        return fixture;
    }

    private static JournalEntry only(List<JournalEntry> entries) {
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void approvedValidationIs200WithNoBody(KlarnaFlavour flavour) {
        KlarnaFixture f = withValidator(flavour, order -> KlarnaCheckoutAnswer.approve());

        CallbackResponse response = f.router.dispatch(f.requests.validation(CART).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(only(f.journaled(KlarnaCallbacks.VALIDATION)).detail()).isEqualTo("validator answered approve");
        assertThat(only(f.journaled(KlarnaCallbacks.VALIDATION)).orderReferences()).singleElement().asString()
                .isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aValidationWhoseBodyCannotBeReadIsRefusedInKlarnasOwnShape(KlarnaFlavour flavour) {
        KlarnaFixture f = withValidator(flavour, order -> KlarnaCheckoutAnswer.approve());

        CallbackResponse response = f.router.dispatch(f.requests.validation(CART)
                .body("{\"order_id\": \"truncated".getBytes(java.nio.charset.StandardCharsets.UTF_8)).build());

        // Klarna's documented refusal: 400 with error_type and error_text, which the shopper is shown
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).contains("\"error_type\":\"approval_failed\"",
                "\"error_text\":\"The shop could not read your order. Please try again.\"");
        assertThat(only(f.journaled(KlarnaCallbacks.VALIDATION)).outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertThat(calls).as("the validator never saw it").hasValue(0);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void rejectionWithRedirectIs303WithLocation(KlarnaFlavour flavour) {
        KlarnaFixture f = withValidator(flavour,
                order -> KlarnaCheckoutAnswer.redirect(URI.create("https://shop.example/cart?out-of-stock=sku-1")));

        CallbackResponse response = f.router.dispatch(f.requests.validation(CART).build());

        assertThat(response.status()).isEqualTo(303);
        assertThat(response.headers().first("Location")).contains("https://shop.example/cart?out-of-stock=sku-1");
        assertThat(only(f.journaled(KlarnaCallbacks.VALIDATION)).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void rejectionWithAMessageIs400WithErrorTypeAndText(KlarnaFlavour flavour) throws Exception {
        KlarnaFixture f = withValidator(flavour, order -> KlarnaCheckoutAnswer.reject(
                KlarnaErrorType.UNSUPPORTED_SHIPPING_ADDRESS, "We do not ship to the Åland Islands"));

        CallbackResponse response = f.router.dispatch(f.requests.validation(CART).build());

        assertThat(response.status()).isEqualTo(400);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("error_type").asText()).isEqualTo("unsupported_shipping_address");
        assertThat(body.get("error_text").asText()).isEqualTo("We do not ship to the Åland Islands");
        assertThat(only(f.journaled(KlarnaCallbacks.VALIDATION)).detail()).contains("reject unsupported_shipping_address");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void validatorOverrunningTheDeadlineGetsTheFallbackInTime(KlarnaFlavour flavour) {
        KlarnaFixture f = withValidator(flavour, order -> {
            awaitQuietly(release);
            return KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED, "too late to matter");
        });

        CallbackResponse response = f.router.dispatch(f.requests.validation(CART).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(only(f.journaled(KlarnaCallbacks.VALIDATION)).detail())
                .isEqualTo("validator overran 200 ms; fallback approve");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aConfiguredFallbackIsSentWhenTheValidatorThrows(KlarnaFlavour flavour) throws Exception {
        fixture = new KlarnaFixture(flavour, KlarnaCallbacks.builder()
                .validator(order -> {
                    throw new IllegalStateException("stock service down");
                }, KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED, "Please try again")));

        CallbackResponse response = fixture.router.dispatch(fixture.requests.validation(CART).build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(MAPPER.readTree(response.body()).get("error_type").asText()).isEqualTo("approval_failed");
        assertThat(only(fixture.journaled(KlarnaCallbacks.VALIDATION)).detail())
                .isEqualTo("validator threw java.lang.IllegalStateException; fallback reject approval_failed: Please try again");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void malformedValidationBodiesAre400AndNeverReachTheValidator(KlarnaFlavour flavour) {
        KlarnaFixture f = withValidator(flavour, order -> KlarnaCheckoutAnswer.approve());
        String path = f.requests.path(KlarnaCallbacks.VALIDATION, ORDER);
        List<String> bodies = List.of("{\"order_id\":", "[]", "", "{\"order_id\":\"" + ORDER + "\"}",
                CART.json().replace("\"order_amount\":10000", "\"order_amount\":\"10000\""),
                CART.json().replace(ORDER, "another-order"));

        for (String body : bodies) {
            CallbackResponse response = f.router.dispatch(f.requests.validation(CART)
                    .body(body.getBytes(StandardCharsets.UTF_8)).build());
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.bodyAsString()).startsWith("{\"error\":");
        }
        assertThat(f.router.dispatch(f.requests.validation(CART).header("Content-Type", "text/plain").build()).status())
                .isEqualTo(415);
        assertThat(f.router.dispatch(f.requests.validation(CART).method("PUT").build()).status()).isEqualTo(405);
        assertThat(f.router.dispatch(f.requests.validation(CART)
                .body(("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8)).build()).status())
                .isEqualTo(413);
        assertThat(calls).hasValue(0);
        assertThat(f.journaled(KlarnaCallbacks.VALIDATION)).hasSize(bodies.size() + 3)
                .allSatisfy(entry -> assertThat(entry.path()).isEqualTo(path));
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void shippingOptionUpdateAnswersTheUpdatedOrder(KlarnaFlavour flavour) throws Exception {
        KlarnaFixture f = withUpdates(flavour, new KlarnaCheckoutUpdates() {
            @Override
            public KlarnaCheckoutAnswer shippingOptionUpdate(KlarnaOrder order, JsonNode option) {
                ObjectNode updated = order.jsonTree();
                long fee = option.path("price").asLong();
                updated.put("order_amount", order.orderAmount() + fee);
                updated.withArray("order_lines").addObject().put("type", "shipping_fee")
                        .put("reference", option.path("id").asText()).put("quantity", 1).put("total_amount", fee);
                return KlarnaCheckoutAnswer.update(updated);
            }
        });
        JsonNode option = MAPPER.readTree("{\"id\":\"express\",\"name\":\"Express\",\"price\":4900}");

        CallbackResponse response = f.router.dispatch(f.requests.shippingOptionUpdate(CART, option).build());

        assertThat(response.status()).isEqualTo(200);
        JsonNode updated = MAPPER.readTree(response.bodyAsString());
        assertThat(updated.get("order_amount").asLong()).isEqualTo(14900);
        assertThat(updated.get("order_lines").findValuesAsText("reference")).containsExactly("sku-1", "express");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void addressUpdateCanRefuseAndCountryChangeCanRedirect(KlarnaFlavour flavour) throws Exception {
        KlarnaFixture f = withUpdates(flavour, new KlarnaCheckoutUpdates() {
            @Override
            public KlarnaCheckoutAnswer addressUpdate(KlarnaOrder order) {
                return KlarnaCheckoutAnswer.reject(KlarnaErrorType.ADDRESS_ERROR, "Postal code is missing");
            }

            @Override
            public KlarnaCheckoutAnswer countryChange(KlarnaOrder order) {
                return KlarnaCheckoutAnswer.redirect(URI.create("https://shop.example/no/"));
            }
        });

        CallbackResponse address = f.router.dispatch(f.requests.addressUpdate(CART).build());
        CallbackResponse country = f.router.dispatch(f.requests.countryChange(CART).build());

        assertThat(address.status()).isEqualTo(400);
        assertThat(MAPPER.readTree(address.body()).get("error_type").asText()).isEqualTo("address_error");
        assertThat(country.status()).isEqualTo(303);
        assertThat(country.headers().first("Location")).contains("https://shop.example/no/");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void anUnchangedUpdateEchoesTheOrderKlarnaSent(KlarnaFlavour flavour) {
        KlarnaFixture f = withUpdates(flavour, new KlarnaCheckoutUpdates() {
        });

        var request = f.requests.addressUpdate(CART).build();
        CallbackResponse response = f.router.dispatch(request);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo(request.bodyAsString()).doesNotContain("order_id");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void updateBodiesAsKlarnaDocumentsThemAreAcceptedAndOneNamingAnotherOrderIsNot(KlarnaFlavour flavour) {
        AtomicInteger seen = new AtomicInteger();
        KlarnaFixture f = withUpdates(flavour, new KlarnaCheckoutUpdates() {
            @Override
            public KlarnaCheckoutAnswer addressUpdate(KlarnaOrder order) {
                seen.incrementAndGet();
                assertThat(order.orderId()).isEqualTo(ORDER);
                assertThat(order.purchaseCurrency()).isEmpty();
                return KlarnaCheckoutAnswer.approve();
            }
        });
        String documented = "{\"order_amount\":10000,\"order_tax_amount\":null,\"order_lines\":[{\"reference\":\"sku-1\","
                + "\"quantity\":2,\"total_amount\":10000}],\"shipping_address\":{\"postal_code\":\"12345\"}}";
        String otherOrder = documented.replace("{\"order_amount\"", "{\"order_id\":\"another-order\",\"order_amount\"");

        CallbackResponse accepted = f.router.dispatch(f.requests.addressUpdate(CART)
                .body(documented.getBytes(StandardCharsets.UTF_8)).build());
        CallbackResponse refused = f.router.dispatch(f.requests.addressUpdate(CART)
                .body(otherOrder.getBytes(StandardCharsets.UTF_8)).build());

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.bodyAsString()).contains("order_id differs");
        assertThat(seen).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void anUpdateThatOverrunsGetsTheConfiguredFallbackAndMalformedOnesAre400(KlarnaFlavour flavour) throws Exception {
        fixture = new KlarnaFixture(flavour, KlarnaCallbacks.builder().deadline(Duration.ofMillis(100))
                .checkoutUpdates(new KlarnaCheckoutUpdates() {
                    @Override
                    public KlarnaCheckoutAnswer shippingOptionUpdate(KlarnaOrder order, JsonNode option) {
                        calls.incrementAndGet();
                        awaitQuietly(release);
                        return KlarnaCheckoutAnswer.approve();
                    }
                }));

        CallbackResponse overran = fixture.router.dispatch(fixture.requests.shippingOptionUpdate(CART,
                MAPPER.readTree("{\"id\":\"express\"}")).build());
        CallbackResponse malformed = fixture.router.dispatch(fixture.requests.countryChange(CART)
                .body("{\"order_amount\":\"lots\",\"order_lines\":[]}".getBytes(StandardCharsets.UTF_8)).build());

        assertThat(overran.status()).isEqualTo(400);
        assertThat(MAPPER.readTree(overran.body()).get("error_type").asText()).isEqualTo("approval_failed");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.bodyAsString()).isEqualTo("{\"error\":\"order_amount is missing or not an integer\"}");
        assertThat(calls).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void beyondTheConcurrencyBoundTheFallbackIsAnsweredAtOnce(KlarnaFlavour flavour) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        fixture = new KlarnaFixture(flavour, KlarnaCallbacks.builder().maxConcurrentCheckoutCallbacks(1)
                .deadline(Duration.ofSeconds(10))
                .validator(order -> {
                    running.countDown();
                    awaitQuietly(release);
                    return KlarnaCheckoutAnswer.approve();
                }, KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED, "busy")));
        Thread first = new Thread(() -> fixture.router.dispatch(fixture.requests.validation(CART).build()));
        first.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        CallbackResponse second = fixture.router.dispatch(fixture.requests.validation(CART).build());

        assertThat(second.status()).isEqualTo(400);
        release.countDown();
        first.join(30_000);
        assertThat(fixture.journaled(KlarnaCallbacks.VALIDATION)).extracting(JournalEntry::detail)
                .contains("validator not run: too many callbacks in progress; fallback reject approval_failed: busy",
                        "validator answered approve");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void withoutValidatorOrUpdatesOnlyPushAndNotificationAreMounted(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);

        assertThat(f.klarna.endpoints()).extracting(e -> e.kind())
                .as("each twice: with the order id in the path, and without (push: in the query as Klarna's docs"
                        + " show it; notification: in the body)")
                .containsExactly(KlarnaCallbacks.PUSH, KlarnaCallbacks.NOTIFICATION, KlarnaCallbacks.PUSH,
                        KlarnaCallbacks.NOTIFICATION);
        assertThat(f.router.dispatch(f.requests.validation(CART).build()).status()).isEqualTo(404);
    }

    // ---- notification -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void notificationReReadsTheFraudStatusAndTellsTheShopOnce(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("REJECTED").line("sku-1", 1, 100).build());
        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 100));

        // The body claims acceptance; Order Management, the only source trusted, says rejected.
        CallbackResponse first = f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_ACCEPTED").build());
        f.scheduler.runDue();
        f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_ACCEPTED").build());
        f.scheduler.runDue();

        assertThat(first.status()).isEqualTo(200);
        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " REJECTED after FRAUD_RISK_ACCEPTED");
        assertThat(f.api.callCount(org.callbackkit.klarna.testing.FakeKlarnaOrderManagement.Call.GET_ORDER)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void notificationBeforeOrderManagementKnowsTheDecisionIsRetried(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("PENDING").line("sku-1", 1, 100).build());
        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 100));

        f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_REJECTED").build());
        f.scheduler.runDue();
        assertThat(f.shop.fraudDecisions).isEmpty();

        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("REJECTED").line("sku-1", 1, 100).build());
        f.scheduler.tick(Duration.ofSeconds(30));

        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " REJECTED after FRAUD_RISK_REJECTED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void stoppedAfterAcceptedIsNewsAndPassesThroughWhateverTheFraudStatusSays(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("ACCEPTED").line("sku-1", 1, 100).build());
        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 100));

        f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_ACCEPTED").build());
        f.scheduler.runDue();
        f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_STOPPED").build());
        f.scheduler.runDue();

        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " ACCEPTED after FRAUD_RISK_ACCEPTED",
                ORDER + " ACCEPTED after FRAUD_RISK_STOPPED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aNotificationForAnOrderTheShopDoesNotHaveYetWaitsForIt(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("REJECTED").line("sku-1", 1, 100).build());

        f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_REJECTED").build());
        f.scheduler.runDue();
        assertThat(f.shop.fraudDecisions).isEmpty();

        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 100));
        f.scheduler.tick(Duration.ofSeconds(30));

        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " REJECTED after FRAUD_RISK_REJECTED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void anUnknownEventIsReReadAllTheSameAndTheShopHearsWhatTheFraudStatusSays(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();

        CallbackResponse response = f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_\u0000NEW").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(only(f.journaled(KlarnaCallbacks.NOTIFICATION)).detail()).isEqualTo("event_type FRAUD_RISK_?NEW"
                + " (not one this module knows) for order " + ORDER + ": fraud status will be re-read");
        f.scheduler.runDue();
        assertThat(f.api.calls()).containsExactly("GET_ORDER " + ORDER);
        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " ACCEPTED after FRAUD_RISK_ACCEPTED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void theOlderDocsEventsAndABodyWithoutTheOrderIdAreReReadToo(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("REJECTED").line("sku-1", 2, 5000).build());
        // Klarna's older notification page: {"order_id": "...", "event_type": "ORDER_REJECTED"}; and a body
        // that leaves the id to the URL
        for (String body : List.of("{\"order_id\":\"" + ORDER + "\",\"event_type\":\"ORDER_REJECTED\"}",
                "{\"event_type\":\"ORDER_REJECTED\"}")) {
            assertThat(f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_REJECTED")
                    .body(body.getBytes(StandardCharsets.UTF_8)).build()).status()).as(body).isEqualTo(200);
        }
        f.scheduler.runDue();

        assertThat(f.shop.fraudDecisions).as("told once, and what the fraud status says")
                .containsExactly(ORDER + " REJECTED after FRAUD_RISK_REJECTED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aNotificationUrlWithoutTheOrderIdTakesItFromTheBody(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("REJECTED").line("sku-1", 2, 5000).build());
        String path = "/" + flavour.provider() + "/notification";

        // a notification URL registered without the placeholder, and Klarna's documented body
        CallbackResponse named = f.router.dispatch(CallbackRequests.postJson(path,
                "{\"order_id\": \"" + ORDER + "\", \"event_type\": \"FRAUD_RISK_REJECTED\"}").build());
        CallbackResponse unnamed = f.router.dispatch(CallbackRequests.postJson(path,
                "{\"event_type\": \"FRAUD_RISK_REJECTED\"}").build());
        CallbackResponse forged = f.router.dispatch(CallbackRequests.postJson(path,
                "{\"order_id\": \"../admin\", \"event_type\": \"FRAUD_RISK_REJECTED\"}").build());
        f.scheduler.runDue();

        assertThat(named.status()).isEqualTo(200);
        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " REJECTED after FRAUD_RISK_REJECTED");
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.bodyAsString()).contains("no order id in the URL or the body's order_id");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(f.journaled(KlarnaCallbacks.NOTIFICATION)).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void malformedNotificationsAre400(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        List<String> bodies = List.of("not json", "{\"order_id\":\"" + ORDER + "\",\"event_type\":42}",
                "{\"order_id\":42,\"event_type\":\"FRAUD_RISK_ACCEPTED\"}",
                "{\"order_id\":\"other\",\"event_type\":\"FRAUD_RISK_ACCEPTED\"}");

        for (String body : bodies) {
            assertThat(f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_ACCEPTED")
                    .body(body.getBytes(StandardCharsets.UTF_8)).build()).status()).as(body).isEqualTo(400);
        }
        assertThat(f.scheduler.pending()).isEmpty();
        assertThat(f.journaled(KlarnaCallbacks.NOTIFICATION)).hasSize(bodies.size())
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
