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
import org.callbackkit.core.CallbackOutcome;
import org.callbackkit.core.CallbackResponse;
import org.callbackkit.core.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Validation, the three checkout updates and fraud notifications, through the real router. */
class KlarnaCheckoutCallbacksTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KlarnaOrder CART = KlarnaOrder.builder(ORDER).status("checkout_incomplete").fraudStatus(null)
            .line(KlarnaOrderLine.of("sku-1", 2, 5000)).build();

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
        }).deadline(Duration.ofMillis(200)));
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
                })
                .validationFallback(KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED, "Please try again")));

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
        KlarnaOrder updated = KlarnaOrder.parse(response.bodyAsString());
        assertThat(updated.orderAmount()).isEqualTo(14900);
        assertThat(updated.orderLines()).extracting(KlarnaOrderLine::reference).containsExactly("sku-1", "express");
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

        CallbackResponse response = f.router.dispatch(f.requests.addressUpdate(CART).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo(CART.json());
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void withoutValidatorOrUpdatesOnlyPushAndNotificationAreMounted(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);

        assertThat(f.klarna.endpoints()).extracting(e -> e.kind())
                .containsExactly(KlarnaCallbacks.PUSH, KlarnaCallbacks.NOTIFICATION);
        assertThat(f.router.dispatch(f.requests.validation(CART).build()).status()).isEqualTo(404);
    }

    // ---- notification -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void notificationReReadsTheFraudStatusAndTellsTheShopOnce(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrder.builder(ORDER).fraudStatus("REJECTED").line(KlarnaOrderLine.of("sku-1", 1, 100)).build());

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
        f.api.putOrder(KlarnaOrder.builder(ORDER).fraudStatus("PENDING").line(KlarnaOrderLine.of("sku-1", 1, 100)).build());

        f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_STOPPED").build());
        f.scheduler.runDue();
        assertThat(f.shop.fraudDecisions).isEmpty();

        f.api.putOrder(KlarnaOrder.builder(ORDER).fraudStatus("REJECTED").line(KlarnaOrderLine.of("sku-1", 1, 100)).build());
        f.scheduler.tick(Duration.ofSeconds(30));

        assertThat(f.shop.fraudDecisions).containsExactly(ORDER + " REJECTED after FRAUD_RISK_STOPPED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void anUnknownEventIsRecordedNotActedOn(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);

        CallbackResponse response = f.router.dispatch(f.requests.notification(ORDER, "FRAUD_RISK_\u0000NEW").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(only(f.journaled(KlarnaCallbacks.NOTIFICATION)).detail())
                .isEqualTo("unknown event_type FRAUD_RISK_?NEW for order " + ORDER + ": recorded, not acted on");
        assertThat(f.scheduler.pending()).isEmpty();
        assertThat(f.api.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void malformedNotificationsAre400(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        List<String> bodies = List.of("not json", "{\"event_type\":\"FRAUD_RISK_ACCEPTED\"}",
                "{\"order_id\":\"" + ORDER + "\"}", "{\"order_id\":42,\"event_type\":\"FRAUD_RISK_ACCEPTED\"}",
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
