package org.callbackkit.ecster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.ecster.testing.FakeEcsterApi.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real HTTP client against the loopback fake of Ecster's API: over a socket. */
class EcsterHttpApiTest {

    private static final EcsterCredentials KEYS = new EcsterCredentials("JKN675aVeMR9Mleh786FGf2ff7T1okmH6", "10569832");
    private static final String ORDER = "zburxHFw0xQmyOmVOrcq";

    private final FakeEcsterApi fake = new FakeEcsterApi(KEYS);
    private final URI base = fake.serve();

    @AfterEach
    void stop() {
        fake.close();
    }

    private EcsterHttpApi client(EcsterCredentials keys, Duration readTimeout) {
        return new EcsterHttpApi(new ProviderHttp("ecster", base, Duration.ofSeconds(2), readTimeout), keys);
    }

    private EcsterHttpApi client() {
        return client(KEYS, Duration.ofSeconds(5));
    }

    @Test
    void readsTheOrderWithBothKeysAndMapsItsJson() {
        fake.putOrder(EcsterOrderBuilder.order(ORDER).status("READY").currency("SEK").orderReference("1001")
                .paymentMethod("CARD").line("00012", "Mug", 3, 10000).build());

        EcsterOrder order = client().getOrder(ORDER);

        assertThat(order.id()).isEqualTo(ORDER);
        assertThat(order.status()).isEqualTo("READY");
        assertThat(order.state()).isEqualTo(EcsterOrderState.PAID);
        assertThat(order.amount()).isEqualTo(30000);
        assertThat(order.orderReference()).contains("1001");
        assertThat(order.paymentMethod()).isEqualTo("CARD");
        assertThat(order.buyer().city()).isEqualTo("Stockholm");
        assertThat(order.lines()).singleElement().satisfies(line -> {
            assertThat(line.partNumber()).isEqualTo("00012");
            assertThat(line.vatRate()).isEqualTo(2500);
        });
        assertThat(order.toString()).doesNotContain("Stockholm").doesNotContain("test@example.com");
        assertThat(fake.requests()).singleElement().isEqualTo(new RecordedRequest("GET", "/v1/orders/" + ORDER,
                KEYS.apiKey(), KEYS.merchantKey(), "application/json"));
    }

    @Test
    void readsEcstersDocumentedExampleOrder() {
        String documented = """
                {"id":"zburxHFw0xQmyOmVOrcq","merchantId":"100646739","status":"READY",
                 "properties":{"method":"INVOICE","submethod":"INVOICE_SE_1","startFee":2900,"directDebit":false,"dueDays":14},
                 "created":"2019-01-13T20:50:04+01:00","amount":32900,"currency":"SEK","debitedAmount":0,"creditedAmount":0,
                 "orderReference":"orderReferenceDefValue",
                 "consumer":{"nationalId":"SE480502-4876","name":{"firstName":"Claes","lastName":"Kauppi"},
                   "address":{"line1":"Vindög 4","city":"Nymölla","zip":"29513"},
                   "contactInfo":{"email":"pada09@ecster.se","cellular":{"number":"0707333444"},"phone":{}}},
                 "transactions":[{"id":"n2XxuckFwp6qL8NQSGAU","type":"ORIGINAL","created":"2019-01-13T20:50:04+01:00","amount":32900,
                   "rows":[{"name":"Test name def value","quantity":1,"unitAmount":30000,"vatRate":2500,"partNumber":"00012",
                     "description":"TestDescription","unit":"st","discountAmount":0,"serials":[],"fee":false}]}]}""";
        fake.putOrder(EcsterOrder.parse(documented));

        EcsterOrder order = client().getOrder(ORDER);

        assertThat(order.amount()).isEqualTo(32900);
        assertThat(order.buyer().lastName()).isEqualTo("Kauppi");
        assertThat(order.buyer().country()).isEmpty();
        assertThat(order.lines()).extracting(EcsterOrderLine::name).containsExactly("Test name def value");
    }

    @Test
    void wrongKeysAre401NotRetryableAndTheMessageHoldsNoKey() {
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(new EcsterCredentials("wrong-api-key-123", "99999999"), Duration.ofSeconds(5)).getOrder(ORDER));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.orderKey()).isEqualTo(ORDER);
        assertThat(e.getMessage()).isEqualTo("Ecster GET /v1/orders/" + ORDER
                + " answered 401 Unauthorized: Invalid api key or merchant key");
        assertThat(e.getMessage()).doesNotContain("wrong-api-key-123").doesNotContain(KEYS.apiKey());
    }

    @Test
    void anUnknownOrderIs404AndNotRetryable() {
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> client().getOrder("noSuchOrder"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void serverErrorsAndTheRateLimitAreRetryable() {
        fake.putOrder(EcsterOrderBuilder.order(ORDER).build());
        fake.failNext(500).failNext(503).failNext(429).failNext(400);
        EcsterHttpApi api = client();

        for (int status : new int[] {500, 503, 429}) {
            ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> api.getOrder(ORDER));
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.retryable()).as("%d", status).isTrue();
        }
        assertThat(catchThrowableOfType(ProviderApiException.class, () -> api.getOrder(ORDER)).retryable()).isFalse();
        assertThat(api.getOrder(ORDER).id()).isEqualTo(ORDER);
    }

    @Test
    void anAnswerThatNeverComesIsARetryableTimeout() {
        fake.putOrder(EcsterOrderBuilder.order(ORDER).build());
        fake.stallNext();

        long started = System.nanoTime();
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(KEYS, Duration.ofMillis(300)).getOrder(ORDER));

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        EcsterHttpApi api = new EcsterHttpApi(new ProviderHttp("ecster", URI.create("http://127.0.0.1:" + closedPort + "/"),
                Duration.ofSeconds(1), Duration.ofSeconds(1)), KEYS);

        ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> api.getOrder(ORDER));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("failed");
    }

    @Test
    void anAnswerForAnotherOrderOrWithoutAStatusIsUnusableAndNotRetried() {
        fake.putOrder(EcsterOrderBuilder.order("otherOrder").build());
        ProviderApiException missing = catchThrowableOfType(ProviderApiException.class, () -> client().getOrder("otherOrder2"));
        assertThat(missing.status()).isEqualTo(404);

        assertThatThrownBy(() -> EcsterOrder.parse("{\"id\":\"a\",\"amount\":1,\"currency\":\"SEK\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> EcsterOrder.parse("{\"id\":\"a\",\"status\":\"READY\",\"amount\":1.5,\"currency\":\"SEK\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount");
    }

    @Test
    void idsThatCouldLeaveTheirPathSegmentNeverReachTheNetwork() {
        for (String id : new String[] {"..", ".", "a/b", "a?b", "a%2Fb", " ", ""}) {
            assertThatThrownBy(() -> client().getOrder(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void theModuleReadsTheOrderOverRealHttpEndToEnd() {
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        TestShop shop = new TestShop().link(ORDER, "1001");
        EcsterCallbacks callbacks = EcsterCallbacks.builder().apiBaseUri(base).credentials(KEYS).shop(shop)
               .scheduler(scheduler).clock(clock).build();
        CallbackRouter router = CallbackRouter.builder().clock(clock).endpoints(callbacks.endpoints()).build();
        fake.putOrder(EcsterOrderBuilder.order(ORDER).status("FULLY_DELIVERED").paymentMethod("SWISH")
                .line("sku-1", "Mug", 2, 9900).build());

        router.dispatch(new EcsterCallbackRequests().notification(ORDER, "FULLY_DELIVERED", "FULL_DEBIT"));
        scheduler.tick(EcsterCallbacks.DEFAULT_PROCESSING_DELAY);

        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
        assertThat(fake.requests()).as("read, then the shop's reference set on the paid order").extracting(
                RecordedRequest::method, RecordedRequest::path, RecordedRequest::apiKey)
                .containsExactly(tuple("GET", "/v1/orders/" + ORDER, KEYS.apiKey()),
                        tuple("PUT", "/v1/orders/" + ORDER + "/orderReference", KEYS.apiKey()));
        assertThat(fake.storedOrder(ORDER).orElseThrow().orderReference()).contains("1001");
    }

    @Test
    void theEnvironmentsAreEcstersDocumentedHosts() {
        assertThat(EcsterEnvironment.LIVE.baseUri()).isEqualTo(URI.create("https://secure.ecster.se/rest/public/"));
        assertThat(EcsterEnvironment.LABS.baseUri()).isEqualTo(URI.create("https://labs.ecster.se/rest/public/"));
    }
}
