package org.callbackkit.klarna.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FakeProviderServer;
import org.callbackkit.core.testing.FakeResponse;
import org.callbackkit.core.testing.FakeResponse.Delivery;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.klarna.KlarnaApi;
import org.callbackkit.klarna.KlarnaCredentials;
import org.callbackkit.klarna.KlarnaOrder;

/**
 * A scriptable Klarna Order Management (and Checkout API order read) for tests: script orders and
 * failures, run the code under test, then verify what was acknowledged and patched.
 *
 * <p>Use it in process as a {@link KlarnaApi} ({@code KlarnaCallbacks.builder().api(fake)}), or
 * over a real socket with {@link #serve()}: it then answers HTTP on 127.0.0.1 the way Klarna
 * does (Basic auth checked, JSON, 204s, Klarna-style error bodies), so a
 * {@code KlarnaHttpApi} can be tested end to end. Both ways share the same orders and script.
 * Thread-safe. {@link #close()} stops the server and drops the answers still stalled. Built on
 * {@link FakeProviderServer}: what is here is what is Klarna's own.
 *
 * <p>Besides the scripted failures, {@link #faults(FaultPlan, Random)} makes every call
 * (any {@link Call}, for any order) fail at random; each fault is recorded in {@link #calls()}
 * like any call. What the module's {@code KlarnaHttpApi} sees:
 * <ul>
 *   <li>{@link FaultPlan.Fault#SERVER_ERROR}: 500, 502, 503 or 504 with a Klarna error body
 *       ({@code error_code} {@code INJECTED_FAULT}), before the call takes effect: a
 *       {@link ProviderApiException} with that {@code status()}, {@code retryable()}.</li>
 *   <li>{@link FaultPlan.Fault#STALL}: the call takes effect (an acknowledge is recorded in
 *       {@link #acknowledged()}) but no answer comes: after the client's read timeout, a
 *       {@link ProviderApiException} with status 0, {@code retryable()}.</li>
 *   <li>{@link FaultPlan.Fault#DISCONNECT}: the call takes effect, then the connection is closed
 *       without a byte of answer: a {@link ProviderApiException} with status 0, {@code retryable()},
 *       caused by the client's {@code IOException}. (The JDK client itself resends a GET once when
 *       this happens on a connection it had reused.)</li>
 * </ul>
 * In process, the same exceptions are thrown at once. A stall or a disconnect after the call took
 * effect is a lost answer: what a retry with an idempotency key is for.
 *
 * <pre>{@code
 * FakeKlarnaOrderManagement klarna = new FakeKlarnaOrderManagement();
 * klarna.putOrder(KlarnaOrderBuilder.order("order-1").line("sku-1", 1, 10000).build());
 * klarna.failNext(FakeKlarnaOrderManagement.Call.GET_ORDER, 503, "TEMPORARILY_UNAVAILABLE");
 * // ... run ...
 * assertThat(klarna.acknowledged()).containsExactly("order-1");
 * }</pre>
 */
public final class FakeKlarnaOrderManagement extends FakeProviderApi<FakeKlarnaOrderManagement> implements KlarnaApi {

    /** The calls the fake answers. */
    public enum Call {
        /** {@code GET /ordermanagement/v1/orders/{id}}. */
        GET_ORDER("GET /ordermanagement/v1/orders/{orderId}"),
        /** {@code POST /ordermanagement/v1/orders/{id}/acknowledge}. */
        ACKNOWLEDGE("POST /ordermanagement/v1/orders/{orderId}/acknowledge"),
        /** {@code PATCH /ordermanagement/v1/orders/{id}/merchant-references}. */
        SET_MERCHANT_REFERENCES("PATCH /ordermanagement/v1/orders/{orderId}/merchant-references"),
        /** {@code GET /checkout/v3/orders/{id}}. */
        GET_CHECKOUT_ORDER("GET /checkout/v3/orders/{orderId}");

        private final String route;

        Call(String route) {
            this.route = route;
        }
    }

    /**
     * A request the fake received over HTTP.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param authorization the {@code Authorization} header, or empty
     * @param contentType the {@code Content-Type} header, or empty
     * @param idempotencyKey the {@code Klarna-Idempotency-Key} header, or empty
     * @param body the body as text
     */
    public record RecordedRequest(String method, String path, String authorization, String contentType,
            String idempotencyKey, String body) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** An order path of Order Management, answered 405 to a method it does not take. */
    private static final Pattern OM_ORDER = Pattern.compile("/ordermanagement/v1/orders/[^/]+(/acknowledge|/merchant-references)?");

    private final KlarnaCredentials credentials;
    private final Map<String, KlarnaOrder> orders = new HashMap<>();
    private final List<String> acknowledged = new ArrayList<>();

    /** A fake that accepts the credentials {@code test-merchant} / {@code test-secret} over HTTP. */
    public FakeKlarnaOrderManagement() {
        this(new KlarnaCredentials("test-merchant", "test-secret"));
    }

    /** A fake that accepts only {@code credentials} over HTTP (401 otherwise, as Klarna answers). */
    public FakeKlarnaOrderManagement(KlarnaCredentials credentials) {
        super("fake Klarna API");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        byte[] basicAuthorization = ("Basic " + Base64.getEncoder().encodeToString((credentials.merchantId() + ":"
                + credentials.sharedSecret()).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        answers().authentication(request -> MessageDigest.isEqual(basicAuthorization,
                        request.header("Authorization").getBytes(StandardCharsets.UTF_8)),
                        error(401, "UNAUTHORIZED", "Invalid credentials"))
                .unrouted(request -> OM_ORDER.matcher(request.path()).matches()
                        ? error(405, "METHOD_NOT_ALLOWED", request.method() + " " + request.path())
                        : error(404, "NOT_FOUND", "No such resource " + request.path()))
                .injectedServerError(status -> error(status, "INJECTED_FAULT", "injected by the test"));
        for (Call call : Call.values()) {
            answers().route(call.route, request -> effect(call, request.pathVariable("orderId"), request.body()));
        }
    }

    /** The credentials it accepts. */
    public KlarnaCredentials credentials() {
        return credentials;
    }

    /** Adds or replaces an order. */
    public synchronized FakeKlarnaOrderManagement putOrder(KlarnaOrder order) {
        orders.put(order.orderId(), Objects.requireNonNull(order, "order"));
        return this;
    }

    /** The order as the fake holds it now (with the merchant references set through it). */
    public synchronized Optional<KlarnaOrder> order(String orderId) {
        return Optional.ofNullable(orders.get(orderId));
    }

    /**
     * The next {@code call} (for any order) fails with {@code status} and a Klarna error body
     * carrying {@code errorCode}; queue several to fail several calls.
     */
    public FakeKlarnaOrderManagement failNext(Call call, int status, String errorCode) {
        server().enqueue(call.route, error(status, errorCode, "scripted by the test"));
        return this;
    }

    /**
     * The next {@code call} never answers and takes no effect: over HTTP it is held until
     * {@link #close()}, so the client's timeout fires; in process it fails at once as a timeout would.
     */
    public FakeKlarnaOrderManagement stallNext(Call call) {
        server().enqueue(call.route, error(504, "GATEWAY_TIMEOUT", "stalled by the test").delivered(Delivery.STALLED));
        return this;
    }

    /**
     * The next {@code call} is answered as usual (it takes effect), but over HTTP only its headers
     * and half its body are sent, the rest held until {@link #close()}: a client that times out only
     * on headers would hang. Meant for the calls that answer an order. In process it fails at once
     * as a timeout would.
     */
    public FakeKlarnaOrderManagement stallBodyNext(Call call) {
        server().enqueue(call.route, Delivery.STALLED_MID_BODY);
        return this;
    }

    /** Order ids acknowledged successfully, in order, repeats included. */
    public synchronized List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Every call made, as {@code "GET_ORDER order-1"}, in order, failed ones included. */
    public List<String> calls() {
        return server().calls().stream().map(call -> callOn(call.route()) + " " + call.pathVariable("orderId")).toList();
    }

    /** How many times {@code call} was made. */
    public long callCount(Call call) {
        return server().calls().stream().filter(made -> made.route().equals(call.route)).count();
    }

    /** The requests received over HTTP, in order. */
    public List<RecordedRequest> requests() {
        return server().requests().stream().map(request -> new RecordedRequest(request.method(), request.path(),
                request.header("Authorization"), request.header("Content-Type"),
                request.header("Klarna-Idempotency-Key"), request.body())).toList();
    }

    // ---- in process -------------------------------------------------------------------------

    @Override
    public KlarnaOrder getOrder(String orderId) {
        return KlarnaOrder.parse(inProcess(Call.GET_ORDER, orderId, ""));
    }

    @Override
    public void acknowledge(String orderId) {
        inProcess(Call.ACKNOWLEDGE, orderId, "");
    }

    @Override
    public void setMerchantReferences(String orderId, String merchantReference1, String merchantReference2) {
        ObjectNode body = MAPPER.createObjectNode().put("merchant_reference1", merchantReference1);
        if (merchantReference2 != null) {
            body.put("merchant_reference2", merchantReference2);
        }
        inProcess(Call.SET_MERCHANT_REFERENCES, orderId, body.toString());
    }

    @Override
    public KlarnaOrder getCheckoutOrder(String orderId) {
        return KlarnaOrder.parse(inProcess(Call.GET_CHECKOUT_ORDER, orderId, ""));
    }

    /** The call's answer body, or the {@link ProviderApiException} that {@code KlarnaHttpApi} would raise for it. */
    private String inProcess(Call call, String orderId, String body) {
        FakeResponse answer = server().call(call.route, Map.of("orderId", orderId), body);
        return answer.bodyOrThrow((failure, status, retryable) -> {
            String message = "fake Klarna " + call + " for order " + orderId + " " + failure;
            if (status == 0) {
                return new ProviderApiException(message, "klarna", orderId, 0, null, null, true, null);
            }
            JsonNode error = readTree(answer.body());
            String code = error.path("error_code").asText();
            return new ProviderApiException(message + " " + code + ": scripted by the test", "klarna", orderId, status,
                    code, error.path("correlation_id").asText(), retryable, null);
        });
    }

    // ---- Klarna's answers -------------------------------------------------------------------

    private static Call callOn(String route) {
        for (Call call : Call.values()) {
            if (call.route.equals(route)) {
                return call;
            }
        }
        throw new IllegalArgumentException("no call on route " + route);
    }

    /** The call answered as Klarna would, its effect applied. */
    private synchronized FakeResponse effect(Call call, String orderId, String body) {
        KlarnaOrder order = orders.get(orderId);
        if (order == null) {
            return error(404, "NO_SUCH_ORDER", "Order " + orderId + " cannot be found.");
        }
        return switch (call) {
            case GET_ORDER, GET_CHECKOUT_ORDER -> FakeResponse.json(200, order.json());
            case ACKNOWLEDGE -> {
                acknowledged.add(orderId);
                yield FakeResponse.empty(204);
            }
            case SET_MERCHANT_REFERENCES -> {
                JsonNode references = readTree(body);
                if (!references.path("merchant_reference1").isTextual()) {
                    yield error(400, "BAD_VALUE", "merchant_reference1 is required");
                }
                ObjectNode updated = order.jsonTree();
                updated.set("merchant_reference1", references.get("merchant_reference1"));
                if (references.has("merchant_reference2")) {
                    updated.set("merchant_reference2", references.get("merchant_reference2"));
                }
                orders.put(orderId, KlarnaOrder.parse(updated.toString()));
                yield FakeResponse.empty(204);
            }
        };
    }

    private static FakeResponse error(int status, String code, String message) {
        ObjectNode body = MAPPER.createObjectNode().put("error_code", code);
        body.putArray("error_messages").add(message);
        body.put("correlation_id", "fake-" + Integer.toHexString(Objects.hash(code, message)));
        return FakeResponse.json(status, body.toString());
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }
}
