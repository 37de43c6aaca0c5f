package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement.Call;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement.RecordedRequest;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real HTTP client against the loopback fake of Order Management: over a socket. */
class KlarnaHttpApiTest {

    private static final String SECRET = "s3cr3t-SHARED-9f8e7d";
    private static final KlarnaCredentials CREDENTIALS = new KlarnaCredentials("PK1234_merchant", SECRET);
    private static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";

    private final FakeKlarnaOrderManagement fake = new FakeKlarnaOrderManagement(CREDENTIALS);
    private final URI base = fake.serve();

    @AfterEach
    void stop() {
        fake.close();
    }

    private KlarnaHttpApi client(KlarnaCredentials credentials, Duration readTimeout) {
        return new KlarnaHttpApi(new ProviderHttp("klarna", base, Duration.ofSeconds(5), readTimeout), credentials);
    }

    private KlarnaHttpApi client() {
        return client(CREDENTIALS, Duration.ofSeconds(10));
    }

    @Test
    void readsAcknowledgesAndPatchesWithBasicAuthAndJson() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("PENDING").currency("EUR")
                .line("sku-1", 2, 1250).build());
        KlarnaHttpApi api = client();

        KlarnaOrder order = api.getOrder(ORDER);
        api.acknowledge(ORDER);
        api.setMerchantReferences(ORDER, "1001", "web");
        KlarnaOrder checkout = api.getCheckoutOrder(ORDER);

        assertThat(order.fraudStatus()).isEqualTo(FraudStatus.PENDING);
        assertThat(order.orderAmount()).isEqualTo(2500);
        assertThat(order.purchaseCurrency()).isEqualTo("EUR");
        assertThat(checkout.merchantReference1()).contains("1001");
        assertThat(checkout.merchantReference2()).contains("web");
        assertThat(fake.acknowledged()).containsExactly(ORDER);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("PK1234_merchant:" + SECRET)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(fake.requests()).extracting(RecordedRequest::method, RecordedRequest::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET", "/ordermanagement/v1/orders/" + ORDER),
                org.assertj.core.groups.Tuple.tuple("POST", "/ordermanagement/v1/orders/" + ORDER + "/acknowledge"),
                org.assertj.core.groups.Tuple.tuple("PATCH", "/ordermanagement/v1/orders/" + ORDER + "/merchant-references"),
                org.assertj.core.groups.Tuple.tuple("GET", "/checkout/v3/orders/" + ORDER));
        assertThat(fake.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo(basic));
        RecordedRequest patch = fake.requests().get(2);
        assertThat(patch.contentType()).isEqualTo("application/json");
        assertThat(patch.body()).isEqualTo("{\"merchant_reference1\":\"1001\",\"merchant_reference2\":\"web\"}");
        assertThat(fake.requests().get(0).idempotencyKey()).isEmpty();
        assertThat(fake.requests().get(1).idempotencyKey()).isNotEmpty();
        assertThat(patch.idempotencyKey()).isNotEmpty().isNotEqualTo(fake.requests().get(1).idempotencyKey());
    }

    @Test
    void aRetriedAcknowledgeCarriesTheSameIdempotencyKey() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 100).build());
        fake.failNext(Call.ACKNOWLEDGE, 503, "SERVICE_UNAVAILABLE");
        KlarnaHttpApi api = client();

        catchThrowableOfType(ProviderApiException.class, () -> api.acknowledge(ORDER));
        api.acknowledge(ORDER);

        assertThat(fake.requests()).extracting(RecordedRequest::idempotencyKey).hasSize(2).doesNotContain("")
                .containsOnly(fake.requests().get(0).idempotencyKey());
    }

    @Test
    void orderIdsThatCouldEscapeTheirPathSegmentNeverReachTheNetwork() {
        KlarnaHttpApi api = client();

        for (String id : new String[] {"..", "../../acknowledge", "a/b", "a?b", "a%2Fb", " ", ""}) {
            assertThatThrownBy(() -> api.acknowledge(id)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> api.getOrder(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void credentialsAreSentOverPlainHttpToLoopbackOnly() {
        assertThatThrownBy(() -> new ProviderHttp("klarna", URI.create("http://api.klarna.com/"), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThat(new ProviderHttp("klarna", URI.create("http://localhost:8080"), Duration.ofSeconds(1),
                Duration.ofSeconds(1)).baseUri()).isEqualTo(URI.create("http://localhost:8080/"));
    }

    @Test
    void anAnswerWhoseBodyTricklesPastTheReadTimeoutIsARetryableTimeout() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 100).build());
        fake.stallBodyNext(Call.GET_ORDER);

        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(CREDENTIALS, Duration.ofMillis(300)).getOrder(ORDER));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("timed out");
    }

    @Test
    void klarnaErrorsBecomeTypedExceptionsWithCodeMessagesAndCorrelationId() {
        ProviderApiException notFound = catchThrowableOfType(ProviderApiException.class, () -> client().getOrder("unknown-order"));

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.errorCode()).contains("NO_SUCH_ORDER");
        assertThat(notFound.getMessage()).contains("NO_SUCH_ORDER: Order unknown-order cannot be found.");
        assertThat(notFound.correlationId()).isPresent();
        assertThat(notFound.retryable()).isFalse();
        assertThat(notFound.getMessage()).contains("GET /ordermanagement/v1/orders/unknown-order", "404", "NO_SUCH_ORDER",
                "correlation id");
    }

    @Test
    void serverErrorsAndRateLimitsAreRetryableClientErrorsAreNot() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 100).build());
        fake.failNext(Call.ACKNOWLEDGE, 503, "SERVICE_UNAVAILABLE").failNext(Call.ACKNOWLEDGE, 429, "RATE_LIMITED")
                .failNext(Call.ACKNOWLEDGE, 400, "BAD_VALUE").failNext(Call.ACKNOWLEDGE, 403, "NOT_ALLOWED");
        KlarnaHttpApi api = client();

        assertThat(catchThrowableOfType(ProviderApiException.class, () -> api.acknowledge(ORDER)).retryable()).isTrue();
        assertThat(catchThrowableOfType(ProviderApiException.class, () -> api.acknowledge(ORDER)).retryable()).isTrue();
        assertThat(catchThrowableOfType(ProviderApiException.class, () -> api.acknowledge(ORDER)).retryable()).isFalse();
        assertThat(catchThrowableOfType(ProviderApiException.class, () -> api.acknowledge(ORDER)).retryable()).isFalse();
        api.acknowledge(ORDER);
        assertThat(fake.acknowledged()).containsExactly(ORDER);
    }

    @Test
    void wrongCredentialsAre401AndNotRetryable() {
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(new KlarnaCredentials("PK1234_merchant", "wrong-secret"), Duration.ofSeconds(10)).getOrder(ORDER));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).doesNotContain("wrong-secret");
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsARetryableTimeout() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 100).build());
        fake.stallNext(Call.GET_ORDER);

        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(CREDENTIALS, Duration.ofMillis(200)).getOrder(ORDER));

        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("timed out");
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KlarnaHttpApi api = new KlarnaHttpApi(new ProviderHttp("klarna", URI.create("http://127.0.0.1:" + closedPort + "/"),
                Duration.ofSeconds(2), Duration.ofSeconds(10)), CREDENTIALS);

        ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> api.getOrder(ORDER));

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void thePushFlowWorksOverHttpAndSecretsNeverReachTheLogsOrMessages(KlarnaFlavour flavour) {
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        TestShop shop = new TestShop().order(ORDER, KlarnaShopOrder.of("1001", "SEK", 100));
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 100).build());
        fake.failNext(Call.GET_ORDER, 503, "SERVICE_UNAVAILABLE").stallNext(Call.ACKNOWLEDGE);
        KlarnaCallbacks klarna = KlarnaCallbacks.builder().flavour(flavour).environment(KlarnaEnvironment.PLAYGROUND)
                .credentials(CREDENTIALS).apiBaseUri(base).readTimeout(Duration.ofSeconds(1)).shop(shop) // stalls end; a loaded machine still answers
                .scheduler(scheduler).journal(journal).clock(clock).build();
        CallbackRouter router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal).clock(clock).build();

        String logs = capturingStandardError(() -> {
            router.dispatch(new KlarnaCallbackRequests(flavour).push(ORDER).build());
            scheduler.runDue();                    // 503
            scheduler.tick(Duration.ofSeconds(30)); // acknowledge times out
            scheduler.tick(Duration.ofMinutes(2));  // acknowledged
            catchThrowableOfType(ProviderApiException.class, () -> klarna.confirmOrder("unknown-order"));
        });

        assertThat(fake.acknowledged()).containsExactly(ORDER);
        assertThat(shop.confirmed).hasSize(1);
        String base64 = Base64.getEncoder().encodeToString(("PK1234_merchant:" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(logs).contains("503", "NO_SUCH_ORDER").doesNotContain(SECRET, base64);
        assertThat(scheduler.dead()).isEmpty();
        assertThat(CREDENTIALS.toString()).doesNotContain(SECRET);
        assertThat(scheduler.dead().toString() + scheduler.pending() + journal.find(JournalQuery.all()))
                .doesNotContain(SECRET, base64);
        klarna.close();
    }

    /** slf4j-simple writes to whatever {@code System.err} is when it logs. */
    private static String capturingStandardError(Runnable run) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
