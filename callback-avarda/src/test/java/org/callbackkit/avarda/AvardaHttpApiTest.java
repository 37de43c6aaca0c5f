package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.callbackkit.avarda.AvardaStateChange.Kind;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.avarda.testing.FakeAvardaApi.RecordedRequest;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real HTTP client against the loopback fake of Avarda's Checkout 3 API: over a socket. */
class AvardaHttpApiTest {

    private static final AvardaCredentials CLIENT = new AvardaCredentials("659e57c9-d970-4db8-b003-8ba04cc157f9",
            "4~{x*6%gvBt(:aD");
    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAvardaApi fake = new FakeAvardaApi(CLIENT).clock(clock);
    private final URI base = fake.serve();

    @AfterEach
    void stop() {
        fake.close();
    }

    private AvardaHttpApi client(AvardaCredentials credentials, Duration readTimeout) {
        return new AvardaHttpApi(new ProviderHttp("avarda", base, Duration.ofSeconds(2), readTimeout), credentials, clock);
    }

    private AvardaHttpApi client() {
        return client(CLIENT, Duration.ofSeconds(5));
    }

    @Test
    void getsATokenWithTheClientCredentialsThenReadsThePaymentWithIt() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).step("Completed").totalPrice("1234.50").currency("NOK").build());

        AvardaPayment payment = client().getPayment(PURCHASE);

        assertThat(payment.purchaseId()).isEqualTo(PURCHASE);
        assertThat(payment.mode()).isEqualTo("B2C");
        assertThat(payment.step()).isEqualTo("Completed");
        assertThat(payment.state()).isEqualTo(AvardaPaymentState.COMPLETED);
        assertThat(payment.totalPrice()).isEqualByComparingTo("1234.50");
        assertThat(payment.currency()).isEqualTo("NOK");
        assertThat(payment.toString()).doesNotContain("Stockholm");
        assertThat(fake.requests()).extracting(RecordedRequest::method, RecordedRequest::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/api/partner/tokens"),
                org.assertj.core.groups.Tuple.tuple("GET", "/api/partner/payments/" + PURCHASE));
        assertThat(fake.requests().get(0).body())
                .isEqualTo("{\"clientId\":\"659e57c9-d970-4db8-b003-8ba04cc157f9\",\"clientSecret\":\"4~{x*6%gvBt(:aD\"}");
        assertThat(fake.requests().get(1).authorization()).isEqualTo("Bearer fake-token-1");
    }

    @Test
    void theTokenIsReusedUntilAMinuteBeforeItExpires() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).build());
        AvardaHttpApi api = client();

        api.getPayment(PURCHASE);
        clock.advance(Duration.ofMinutes(58));
        api.getPayment(PURCHASE);
        assertThat(fake.tokensIssued()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        api.getPayment(PURCHASE);
        assertThat(fake.tokensIssued()).isEqualTo(2);
        assertThat(fake.requests().get(fake.requests().size() - 1).authorization()).isEqualTo("Bearer fake-token-2");
    }

    @Test
    void aRevokedTokenIsReplacedOnceAndTheReadRepeated() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).build());
        AvardaHttpApi api = client();
        api.getPayment(PURCHASE);

        fake.revokeTokens();
        assertThat(api.getPayment(PURCHASE).purchaseId()).isEqualTo(PURCHASE);

        assertThat(fake.tokensIssued()).isEqualTo(2);
        assertThat(fake.calls()).hasSize(2);
    }

    @Test
    void refusedCredentialsAreNotRetryableAndNeverInTheMessage() {
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(new AvardaCredentials("659e57c9", "guessed-secret"), Duration.ofSeconds(5)).getPayment(PURCHASE));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.orderKey()).isEqualTo(PURCHASE);
        assertThat(e.getMessage()).isEqualTo("Avarda POST /api/partner/tokens for purchase " + PURCHASE + " answered 401");
        assertThat(e.getMessage()).doesNotContain("guessed-secret");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void serverErrorsAndTheRateLimitAreRetryableOtherClientErrorsAreNot() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).build());
        fake.failNext(500).failNext(503).failNext(429).failNext(404);
        AvardaHttpApi api = client();

        for (int status : new int[] {500, 503, 429}) {
            ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> api.getPayment(PURCHASE));
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.retryable()).as("%d", status).isTrue();
        }
        ProviderApiException notFound = catchThrowableOfType(ProviderApiException.class, () -> api.getPayment(PURCHASE));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.retryable()).isFalse();
        assertThat(api.getPayment(PURCHASE).purchaseId()).isEqualTo(PURCHASE);
    }

    @Test
    void anAnswerThatNeverComesIsARetryableTimeout() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).build());
        fake.stallNext();

        long started = System.nanoTime();
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(CLIENT, Duration.ofMillis(300)).getPayment(PURCHASE));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AvardaHttpApi api = new AvardaHttpApi(new ProviderHttp("avarda", URI.create("http://127.0.0.1:" + closedPort + "/"),
                Duration.ofSeconds(1), Duration.ofSeconds(1)), CLIENT, clock);

        assertThat(catchThrowableOfType(ProviderApiException.class, () -> api.getPayment(PURCHASE)).retryable()).isTrue();
    }

    @Test
    void anAnswerWithoutATotalIsUnusable() {
        assertThatThrownBy(() -> AvardaPayment.parse("{\"purchaseId\":\"p\",\"mode\":\"B2C\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalPrice");
        assertThatThrownBy(() -> AvardaPayment.parse("{\"purchaseId\":\"p\",\"totalPrice\":\"12\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalPrice");
        assertThat(AvardaPayment.parse("{\"purchaseId\":\"p\",\"totalPrice\":12}").step()).isEqualTo("Unknown");
        for (String notAnAmount : new String[] {"1e99999999", "1e-99999999", "1e99999999999999", "1234567890123456"}) {
            assertThatThrownBy(() -> AvardaPayment.parse("{\"purchaseId\":\"p\",\"totalPrice\":" + notAnAmount + "}"))
                    .as(notAnAmount).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AvardaPayment.parse("{\"purchaseId\":\"p\",\"totalPrice\":999999999999999.999999}").totalPrice())
                .isEqualByComparingTo("999999999999999.999999");
    }

    @Test
    void idsThatCouldLeaveTheirPathSegmentNeverReachTheNetwork() {
        for (String id : new String[] {"..", "a/b", "a?b", "a%2Fb", " ", ""}) {
            assertThatThrownBy(() -> client().getPayment(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void theModuleReadsThePaymentOverRealHttpEndToEnd() {
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        TestShop shop = new TestShop().add(PURCHASE, "1001", "100.00");
        AvardaCallbacks callbacks = AvardaCallbacks.builder().apiBaseUri(base).credentials(CLIENT).shop(shop).scheduler(scheduler).clock(clock).build();
        CallbackRouter router = CallbackRouter.builder().clock(clock).endpoints(callbacks.endpoints()).build();
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).step("Completed").totalPrice("100.00").build());

        router.dispatch(new AvardaCallbackRequests().completed(PURCHASE));
        scheduler.tick(AvardaCallbacks.DEFAULT_PROCESSING_DELAY);

        assertThat(shop.kinds()).containsExactly(Kind.PAID);
        assertThat(fake.tokensIssued()).isEqualTo(1);
    }

    /**
     * A business purchase, written out as Avarda's Checkout 3 API reports one (the fields Avarda's
     * WooCommerce plugin reads for mode {@code B2B}: the company in {@code b2B.invoicingAddress.name},
     * the buyer in {@code b2B.customerInfo}, the step in {@code b2B.step.current}), and Avarda's
     * documented notification body: paid, end to end over HTTP.
     */
    @Test
    void aBusinessPurchaseIsPaidEndToEnd() {
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        TestShop shop = new TestShop().add(PURCHASE, "1001", "2500.00");
        AvardaCallbacks callbacks = AvardaCallbacks.builder().apiBaseUri(base).credentials(CLIENT).shop(shop)
                .scheduler(scheduler).clock(clock).build();
        CallbackRouter router = CallbackRouter.builder().clock(clock).endpoints(callbacks.endpoints()).build();
        fake.putPayment(AvardaPayment.parse("""
                {"purchaseId":"489ea341e23941089e6d0378c708512a","mode":"B2B","totalPrice":2500.00,
                 "checkoutSite":{"currencyCode":"SEK","language":"Swedish"},
                 "b2C":null,
                 "b2B":{"step":{"current":"Completed"},
                        "customerInfo":{"firstName":"Anna","lastName":"Andersson"},
                        "userInputs":{"email":"anna@foretaget.example","phone":"+46701234567"},
                        "invoicingAddress":{"name":"Företaget AB","address1":"Storgatan 1","zip":"11122",
                                            "city":"Stockholm","country":"SE"},
                        "deliveryAddress":{"firstName":"Anna","lastName":"Andersson","address1":"Lagervägen 4",
                                           "zip":"12345","city":"Solna","country":"SE"}},
                 "paymentMethods":{"selectedPayment":{"type":"B2BInvoice"}}}
                """));

        assertThat(router.dispatch(new AvardaCallbackRequests()
                .withBody("{\"purchaseId\":\"489ea341e23941089e6d0378c708512a\"}")).status()).isEqualTo(200);
        scheduler.tick(AvardaCallbacks.DEFAULT_PROCESSING_DELAY);

        assertThat(shop.changes).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.PAID);
            assertThat(change.payment().mode()).isEqualTo("B2B");
            assertThat(change.payment().step()).isEqualTo("Completed");
            assertThat(change.payment().json()).contains("Företaget AB");
        });
        assertThat(fake.requests()).extracting(RecordedRequest::path)
                .containsExactly("/api/partner/tokens", "/api/partner/payments/" + PURCHASE);
    }
}
