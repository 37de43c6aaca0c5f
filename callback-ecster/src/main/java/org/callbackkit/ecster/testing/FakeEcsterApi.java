package org.callbackkit.ecster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FakeProviderServer;
import org.callbackkit.core.testing.FakeResponse;
import org.callbackkit.core.testing.FakeResponse.Delivery;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.ecster.EcsterApi;
import org.callbackkit.ecster.EcsterCredentials;
import org.callbackkit.ecster.EcsterOrder;

/**
 * A scriptable Ecster order API for tests: script orders and failures, run the code under test,
 * then verify what was asked.
 *
 * <p>Use it in process as the {@link EcsterApi} ({@code EcsterCallbacks.builder().api(fake)}), or
 * over a real socket with {@link #serve()}: it then answers {@code GET /v1/orders/{id}} and
 * {@code PUT /v1/orders/{id}/orderReference} on 127.0.0.1 as Ecster does (both keys checked, JSON
 * orders, 400/401/404 with {@code title} and {@code detail}), so the module's real HTTP client can be tested end to end. Both ways share the
 * orders and the script. Thread-safe; {@link #close()} stops the server and drops the answers
 * still stalled. Built on {@link FakeProviderServer}: what is here is what is Ecster's own.
 *
 * <p>Besides the scripted failures, {@link #faults(FaultPlan, Random)} makes order reads
 * fail at random; each is recorded in {@link #calls()} like any read. The module's HTTP client
 * raises a retryable {@link ProviderApiException}: with the 5xx as its {@code status()} for a server
 * error, with status 0 for a stall (after its read timeout) or a disconnect (caused by its
 * {@code IOException}; the JDK client itself resends a GET once when this happens on a connection
 * it had reused). In process, the same exceptions are thrown at once.
 *
 * <pre>{@code
 * FakeEcsterApi ecster = new FakeEcsterApi();
 * ecster.putOrder(EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status("READY").line("sku-1", "Mug", 1, 9900).build());
 * ecster.failNext(503);
 * // ... run ...
 * assertThat(ecster.calls()).containsExactly("eYBtAD0wTZIzDWkVpGhe", "eYBtAD0wTZIzDWkVpGhe");
 * }</pre>
 */
public final class FakeEcsterApi extends FakeProviderApi<FakeEcsterApi> implements EcsterApi {

    /**
     * A request received over HTTP. Test data only: it holds the keys as sent.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param apiKey the {@code x-api-key} header, or empty
     * @param merchantKey the {@code x-merchant-key} header, or empty
     * @param accept the {@code Accept} header, or empty
     */
    public record RecordedRequest(String method, String path, String apiKey, String merchantKey, String accept) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String READ_ORDER = "GET /v1/orders/{id}";
    private static final String SET_REFERENCE = "PUT /v1/orders/{id}/orderReference";

    private final EcsterCredentials credentials;
    private final Map<String, EcsterOrder> orders = new HashMap<>();

    /** A fake that accepts the keys {@code test-api-key} / {@code test-merchant-key} over HTTP. */
    public FakeEcsterApi() {
        this(new EcsterCredentials("test-api-key", "test-merchant-key"));
    }

    /** A fake that accepts only {@code credentials} over HTTP (401 otherwise). */
    public FakeEcsterApi(EcsterCredentials credentials) {
        super("fake Ecster API");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        answers().route(READ_ORDER, request -> answerOrder(request.pathVariable("id")))
                .route(SET_REFERENCE, request -> setReference(request.pathVariable("id"), request.body()))
                .authentication(request -> request.header("x-api-key").equals(credentials.apiKey())
                        && request.header("x-merchant-key").equals(credentials.merchantKey()),
                        error(401, "Unauthorized", "Invalid api key or merchant key"))
                .unrouted(request -> error(404, "Not Found", "No resource " + request.method() + " " + request.path()))
                .injectedServerError(status -> error(status, "Service Unavailable", "injected by the test"));
    }

    /** The keys it accepts. */
    public EcsterCredentials credentials() {
        return credentials;
    }

    /** Adds or replaces an order. */
    public synchronized FakeEcsterApi putOrder(EcsterOrder order) {
        orders.put(order.id(), Objects.requireNonNull(order, "order"));
        return this;
    }

    /**
     * Sets an order's status, as Ecster moves it on.
     *
     * @throws IllegalArgumentException if there is no such order
     */
    public synchronized FakeEcsterApi setStatus(String orderId, String status) {
        EcsterOrder order = orders.get(orderId);
        if (order == null) {
            throw new IllegalArgumentException("no order " + orderId);
        }
        try {
            ObjectNode json = (ObjectNode) MAPPER.readTree(order.json());
            orders.put(orderId, EcsterOrder.parse(json.put("status", status).toString()));
        } catch (IOException e) {
            throw new IllegalStateException("orders are JSON", e);
        }
        return this;
    }

    /** The next read (of any order) answers {@code status} with an error body; queue several to fail several. */
    public FakeEcsterApi failNext(int status) {
        server().enqueue(READ_ORDER, error(status, "Scripted failure", "scripted by the test"));
        return this;
    }

    /** The next reference update (of any order) answers {@code status} with an error body and sets nothing. */
    public FakeEcsterApi failNextReferenceUpdate(int status) {
        server().enqueue(SET_REFERENCE, error(status, "Scripted failure", "scripted by the test"));
        return this;
    }

    /**
     * The next read never answers: over HTTP it is held until {@link #close()}, so the client's
     * timeout fires; in process it fails at once as a timeout would.
     */
    public FakeEcsterApi stallNext() {
        server().enqueue(READ_ORDER, error(504, "Gateway Timeout", "stalled by the test").delivered(Delivery.STALLED));
        return this;
    }

    /** The order ids read ({@code GET}), in order, failed calls included. */
    public List<String> calls() {
        return callsOf(READ_ORDER);
    }

    /** The order ids whose reference was set ({@code PUT .../orderReference}), in order, failed calls included. */
    public List<String> referenceUpdates() {
        return callsOf(SET_REFERENCE);
    }

    /** The order as the fake has it now, with the references set on it. */
    public synchronized Optional<EcsterOrder> storedOrder(String orderId) {
        return Optional.ofNullable(orders.get(orderId));
    }

    private List<String> callsOf(String route) {
        return server().calls().stream().filter(call -> call.route().equals(route))
                .map(call -> call.pathVariable("id")).toList();
    }

    /** The requests received over HTTP, in order. */
    public List<RecordedRequest> requests() {
        return server().requests().stream().map(request -> new RecordedRequest(request.method(), request.path(),
                request.header("x-api-key"), request.header("x-merchant-key"), request.header("Accept"))).toList();
    }

    /** In process: the scripted answer, failures as {@link ProviderApiException}s the way the HTTP client raises them. */
    @Override
    public EcsterOrder getOrder(String ecsterOrderId) {
        return EcsterOrder.parse(server().call(READ_ORDER, Map.of("id", ecsterOrderId), "").bodyOrThrow(
                (failure, status, retryable) -> new ProviderApiException("fake Ecster GET order " + ecsterOrderId + " "
                        + failure, "ecster", ecsterOrderId, status, null, null, retryable, null)));
    }

    /** In process: as over HTTP, failures as {@link ProviderApiException}s. */
    @Override
    public void updateOrderReference(String ecsterOrderId, String orderReference) {
        String body = MAPPER.createObjectNode().put("orderReference", orderReference).toString();
        server().call(SET_REFERENCE, Map.of("id", ecsterOrderId), body).bodyOrThrow(
                (failure, status, retryable) -> new ProviderApiException("fake Ecster PUT orderReference " + ecsterOrderId
                        + " " + failure, "ecster", ecsterOrderId, status, null, null, retryable, null));
    }

    private synchronized FakeResponse answerOrder(String orderId) {
        EcsterOrder order = orders.get(orderId);
        return order == null ? error(404, "Not Found", "Order " + orderId + " not found") : FakeResponse.json(200, order.json());
    }

    /** Sets the order's {@code orderReference} from {@code {"orderReference": "..."}}; answers the order. */
    private synchronized FakeResponse setReference(String orderId, String body) {
        EcsterOrder order = orders.get(orderId);
        if (order == null) {
            return error(404, "Not Found", "Order " + orderId + " not found");
        }
        try {
            JsonNode reference = MAPPER.readTree(body).path("orderReference");
            if (!reference.isTextual() || reference.textValue().isBlank()) {
                return error(400, "Bad Request", "orderReference is required");
            }
            ObjectNode json = (ObjectNode) MAPPER.readTree(order.json());
            EcsterOrder updated = EcsterOrder.parse(json.put("orderReference", reference.textValue()).toString());
            orders.put(orderId, updated);
            return FakeResponse.json(200, updated.json());
        } catch (IOException e) {
            return error(400, "Bad Request", "the body is not JSON");
        }
    }

    private static FakeResponse error(int status, String title, String detail) {
        return FakeResponse.json(status, MAPPER.createObjectNode().put("title", title).put("detail", detail).toString());
    }
}
