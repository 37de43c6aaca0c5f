package org.callbackkit.avarda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.callbackkit.avarda.AvardaApi;
import org.callbackkit.avarda.AvardaCredentials;
import org.callbackkit.avarda.AvardaPayment;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FakeProviderServer;
import org.callbackkit.core.testing.FakeResponse;
import org.callbackkit.core.testing.FakeResponse.Delivery;
import org.callbackkit.core.testing.FaultPlan;

/**
 * A scriptable Avarda Checkout 3 API for tests: script payments and failures, run the code under
 * test, then verify what was asked.
 *
 * <p>Use it in process as the {@link AvardaApi} ({@code AvardaCallbacks.builder().api(fake)}), or
 * over a real socket with {@link #serve()}: it then answers on 127.0.0.1 as Avarda does,
 * {@code POST /api/partner/tokens} (client id and secret checked, a token valid for an hour of
 * {@link #clock(Clock) its clock}) and {@code GET /api/partner/payments/{purchaseId}} (the Bearer
 * token checked), so the module's real HTTP client can be tested end to end. Both ways share the
 * payments and the script, which applies to payment reads only. Thread-safe; {@link #close()}
 * stops the server and drops the answers still stalled. Built on {@link FakeProviderServer}: what
 * is here is what is Avarda's own.
 *
 * <p>Besides the scripted failures, {@link #faults(FaultPlan, Random)} makes payment
 * reads, and over HTTP token requests too, fail at random; faulty reads are recorded in
 * {@link #calls()} like any read, and a stalled or dropped token request still issues its token.
 * The module's HTTP client raises a retryable {@link ProviderApiException}: with the 5xx as its
 * {@code status()} for a server error, with status 0 for a stall (after its read timeout) or a
 * disconnect (caused by its {@code IOException}). In process, the same exceptions are thrown at once.
 *
 * <pre>{@code
 * FakeAvardaApi avarda = new FakeAvardaApi();
 * avarda.putPayment(AvardaPaymentBuilder.payment("489ea341e23941089e6d0378c708512a").totalPrice("123.45").build());
 * avarda.failNext(503);
 * // ... run ...
 * assertThat(avarda.calls()).hasSize(2);
 * }</pre>
 */
public final class FakeAvardaApi extends FakeProviderApi<FakeAvardaApi> implements AvardaApi {

    /**
     * A request received over HTTP. Test data only: it holds credentials and tokens as sent.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param authorization the {@code Authorization} header, or empty
     * @param body the body as text
     */
    public record RecordedRequest(String method, String path, String authorization, String body) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ISSUE_TOKEN = "POST /api/partner/tokens";
    private static final String READ_PAYMENT = "GET /api/partner/payments/{purchaseId}";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private final AvardaCredentials credentials;
    private final Map<String, AvardaPayment> payments = new HashMap<>();
    private final Set<String> validTokens = new HashSet<>();
    private Clock clock = Clock.systemUTC();
    private int tokensIssued;

    /** A fake that accepts the client {@code test-client-id} / {@code test-client-secret} over HTTP. */
    public FakeAvardaApi() {
        this(new AvardaCredentials("test-client-id", "test-client-secret"));
    }

    /** A fake that accepts only {@code credentials} over HTTP (401 otherwise). */
    public FakeAvardaApi(AvardaCredentials credentials) {
        super("fake Avarda API");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        answers().route(ISSUE_TOKEN, request -> token(request.body()))
                .route(READ_PAYMENT, request -> payment(request.pathVariable("purchaseId")))
                .authentication(request -> !request.route().equals(READ_PAYMENT) || holdsAValidToken(request.header(
                        "Authorization")), error(401, "Invalid or expired token"))
                .unrouted(request -> error(404, "No resource " + request.method() + " " + request.path()))
                .injectedServerError(status -> error(status, "injected by the test"));
    }

    /** The credentials it accepts. */
    public AvardaCredentials credentials() {
        return credentials;
    }

    /** The clock the tokens' {@code tokenExpirationUtc} is read from; default system UTC. */
    public synchronized FakeAvardaApi clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Adds or replaces a payment. */
    public synchronized FakeAvardaApi putPayment(AvardaPayment payment) {
        payments.put(payment.purchaseId(), Objects.requireNonNull(payment, "payment"));
        return this;
    }

    /**
     * Sets a payment's current step, as the shopper and Avarda move it on.
     *
     * @throws IllegalArgumentException if there is no such payment
     */
    public synchronized FakeAvardaApi setStep(String purchaseId, String step) {
        AvardaPayment payment = payments.get(purchaseId);
        if (payment == null) {
            throw new IllegalArgumentException("no payment " + purchaseId);
        }
        try {
            ObjectNode json = (ObjectNode) MAPPER.readTree(payment.json());
            ((ObjectNode) json.path(payment.mode().equals("B2B") ? "b2B" : "b2C").path("step")).put("current", step);
            payments.put(purchaseId, AvardaPayment.parse(json.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("payments are JSON", e);
        }
        return this;
    }

    /** The next payment read answers {@code status}; queue several to fail several. */
    public FakeAvardaApi failNext(int status) {
        server().enqueue(READ_PAYMENT, error(status, "scripted by the test"));
        return this;
    }

    /**
     * The next payment read never answers: over HTTP it is held until {@link #close()}, so the
     * client's timeout fires; in process it fails at once as a timeout would.
     */
    public FakeAvardaApi stallNext() {
        server().enqueue(READ_PAYMENT, error(504, "stalled by the test").delivered(Delivery.STALLED));
        return this;
    }

    /** Revokes every token issued so far: the next payment read with one is answered 401. */
    public synchronized FakeAvardaApi revokeTokens() {
        validTokens.clear();
        return this;
    }

    /** The purchase ids read, in order, failed reads included. */
    public List<String> calls() {
        return server().calls().stream().filter(call -> call.route().equals(READ_PAYMENT))
                .map(call -> call.pathVariable("purchaseId")).toList();
    }

    /** How many partner access tokens were issued over HTTP. */
    public synchronized int tokensIssued() {
        return tokensIssued;
    }

    /** The requests received over HTTP, in order. */
    public List<RecordedRequest> requests() {
        return server().requests().stream().map(request -> new RecordedRequest(request.method(), request.path(),
                request.header("Authorization"), request.body())).toList();
    }

    /** In process: the scripted answer, failures as {@link ProviderApiException}s the way the HTTP client raises them. */
    @Override
    public AvardaPayment getPayment(String purchaseId) {
        String json = server().call(READ_PAYMENT, Map.of("purchaseId", purchaseId), "").bodyOrThrow(
                (failure, status, retryable) -> new ProviderApiException("fake Avarda GET payment " + purchaseId + " "
                        + failure, "avarda", purchaseId, status, null, null, retryable, null));
        return AvardaPayment.parse(json);
    }

    private synchronized FakeResponse payment(String purchaseId) {
        AvardaPayment payment = payments.get(purchaseId);
        return payment == null ? error(404, "Purchase " + purchaseId + " not found") : FakeResponse.json(200, payment.json());
    }

    private synchronized boolean holdsAValidToken(String authorization) {
        return authorization.startsWith("Bearer ") && validTokens.contains(authorization.substring(7));
    }

    private synchronized FakeResponse token(String body) {
        JsonNode request;
        try {
            request = MAPPER.readTree(body);
        } catch (IOException e) {
            return error(400, "body is not JSON");
        }
        if (request == null || !credentials.clientId().equals(request.path("clientId").asText())
                || !credentials.clientSecret().equals(request.path("clientSecret").asText())) {
            return error(401, "Invalid client credentials");
        }
        String token = "fake-token-" + ++tokensIssued;
        validTokens.add(token);
        return FakeResponse.json(200, MAPPER.createObjectNode().put("token", token)
                .put("tokenExpirationUtc", clock.instant().plus(TOKEN_LIFETIME).toString()).toString());
    }

    private static FakeResponse error(int status, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("errors").add(message);
        return FakeResponse.json(status, body.toString());
    }
}
