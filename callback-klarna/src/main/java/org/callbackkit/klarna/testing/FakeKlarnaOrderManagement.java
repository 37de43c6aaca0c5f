package org.callbackkit.klarna.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callbackkit.core.ProviderApiException;
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
 * Besides the scripted failures, {@link #faults(FaultPlan, Random)} makes calls fail at random.
 * Thread-safe. {@link #close()} stops the server and releases stalled answers.
 *
 * <pre>{@code
 * FakeKlarnaOrderManagement klarna = new FakeKlarnaOrderManagement();
 * klarna.putOrder(KlarnaOrderBuilder.order("order-1").line("sku-1", 1, 10000).build());
 * klarna.failNext(FakeKlarnaOrderManagement.Call.GET_ORDER, 503, "TEMPORARILY_UNAVAILABLE");
 * // ... run ...
 * assertThat(klarna.acknowledged()).containsExactly("order-1");
 * }</pre>
 */
public final class FakeKlarnaOrderManagement implements KlarnaApi, AutoCloseable {

    /** The calls the fake answers. */
    public enum Call {
        /** {@code GET /ordermanagement/v1/orders/{id}}. */
        GET_ORDER,
        /** {@code POST /ordermanagement/v1/orders/{id}/acknowledge}. */
        ACKNOWLEDGE,
        /** {@code PATCH /ordermanagement/v1/orders/{id}/merchant-references}. */
        SET_MERCHANT_REFERENCES,
        /** {@code GET /checkout/v3/orders/{id}}. */
        GET_CHECKOUT_ORDER
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
    private static final Pattern OM_ORDER = Pattern.compile("/ordermanagement/v1/orders/([^/]+)(/acknowledge|/merchant-references)?");
    private static final Pattern CHECKOUT_ORDER = Pattern.compile("/checkout/v3/orders/([^/]+)");
    /** {@link Answer#stall()} of an answer never sent: the connection is closed instead. */
    private static final int DROP = 3;

    private final KlarnaCredentials credentials;
    private final Map<String, KlarnaOrder> orders = new HashMap<>();
    private final Map<Call, Queue<Failure>> failures = new EnumMap<>(Call.class);
    private final List<String> acknowledged = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<FaultPlan.Fault, Integer> faultsInjected = new EnumMap<>(FaultPlan.Fault.class);
    private final CountDownLatch closed = new CountDownLatch(1);
    private FaultPlan faultPlan = FaultPlan.NONE;
    private Random faultRandom = new Random(0);
    private HttpServer server;
    private ExecutorService serverThreads;

    /** A fake that accepts the credentials {@code test-merchant} / {@code test-secret} over HTTP. */
    public FakeKlarnaOrderManagement() {
        this(new KlarnaCredentials("test-merchant", "test-secret"));
    }

    /** A fake that accepts only {@code credentials} over HTTP (401 otherwise, as Klarna answers). */
    public FakeKlarnaOrderManagement(KlarnaCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
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
    public synchronized FakeKlarnaOrderManagement failNext(Call call, int status, String errorCode) {
        failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(new Failure(status, errorCode));
        return this;
    }

    /**
     * The next {@code call} never answers: over HTTP it is held until {@link #close()}, so the
     * client's timeout fires; in process it fails at once as a timeout would.
     */
    public synchronized FakeKlarnaOrderManagement stallNext(Call call) {
        failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(Failure.STALL);
        return this;
    }

    /**
     * The next {@code call} answers 200 and half its body, then holds the rest until
     * {@link #close()}: a client that times out only on headers would hang. In process it fails at
     * once as a timeout would.
     */
    public synchronized FakeKlarnaOrderManagement stallBodyNext(Call call) {
        failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(Failure.STALL_BODY);
        return this;
    }

    /**
     * From now on every call (any {@link Call}, for any order) fails at random as {@code plan}
     * says, drawn from {@code random}: give it a seed and print the seed, so a failing test can be
     * replayed (the same calls in the same order fail the same way). Calls scripted with
     * {@link #failNext}, {@link #stallNext} or {@link #stallBodyNext} are not drawn for. Each fault
     * is recorded in {@link #calls()} like any call. What the module's {@code KlarnaHttpApi} sees:
     * <ul>
     *   <li>{@link FaultPlan.Fault#SERVER_ERROR}: 500, 502, 503 or 504 with a Klarna error body
     *       ({@code error_code} {@code INJECTED_FAULT}), before the call takes effect: a
     *       {@link ProviderApiException} with that {@code status()}, {@code retryable()}.</li>
     *   <li>{@link FaultPlan.Fault#STALL}: the call takes effect (an acknowledge is recorded in
     *       {@link #acknowledged()}) but no answer comes until {@link #close()}: after the client's
     *       read timeout, a {@link ProviderApiException} with status 0, {@code retryable()}. Give the
     *       client a short {@code readTimeout} in tests, so that no test waits long.</li>
     *   <li>{@link FaultPlan.Fault#DISCONNECT}: the call takes effect, then the connection is
     *       closed without a byte of answer: a {@link ProviderApiException} with status 0,
     *       {@code retryable()}, caused by the client's {@code IOException}. (The JDK client
     *       itself resends a GET once when this happens on a connection it had reused.)</li>
     * </ul>
     * In process, the same exceptions are thrown at once. {@link FaultPlan#NONE} stops the faults.
     * A stall or a disconnect after the call took effect is a lost answer: what a retry with an
     * idempotency key is for.
     */
    public synchronized FakeKlarnaOrderManagement faults(FaultPlan plan, Random random) {
        this.faultPlan = Objects.requireNonNull(plan, "plan");
        this.faultRandom = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How many faults of each kind {@link #faults(FaultPlan, Random)} injected so far; kinds never drawn are absent. */
    public synchronized Map<FaultPlan.Fault, Integer> faultsInjected() {
        return Map.copyOf(faultsInjected);
    }

    /** Order ids acknowledged successfully, in order, repeats included. */
    public synchronized List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Every call made, as {@code "GET_ORDER order-1"}, in order, failed ones included. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** How many times {@code call} was made. */
    public synchronized long callCount(Call call) {
        return calls.stream().filter(c -> c.startsWith(call.name() + " ")).count();
    }

    /** The requests received over HTTP, in order. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Starts answering HTTP on 127.0.0.1 on a free port; idempotent.
     *
     * @return the base URI to give {@code KlarnaHttpApi} or {@code KlarnaCallbacks.Builder.apiBaseUri}
     * @throws IllegalStateException if the server cannot start
     */
    public synchronized URI serve() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake Klarna API", e);
            }
            serverThreads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-klarna-api");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(serverThreads);
            server.createContext("/", this::exchange);
            server.start();
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Stops the HTTP server, if started, and releases stalled answers. */
    @Override
    public void close() {
        closed.countDown();
        HttpServer running;
        synchronized (this) {
            running = server;
            server = null;
        }
        if (running != null) {
            running.stop(0);
            serverThreads.shutdownNow();
        }
    }

    // ---- in process -------------------------------------------------------------------------

    @Override
    public KlarnaOrder getOrder(String orderId) {
        return KlarnaOrder.parse(inProcess(Call.GET_ORDER, orderId, null));
    }

    @Override
    public void acknowledge(String orderId) {
        inProcess(Call.ACKNOWLEDGE, orderId, null);
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
        return KlarnaOrder.parse(inProcess(Call.GET_CHECKOUT_ORDER, orderId, null));
    }

    private String inProcess(Call call, String orderId, String body) {
        Answer answer = answer(call, orderId, body);
        if (answer.stall() == DROP) {
            throw new ProviderApiException("fake Klarna " + call + " for order " + orderId
                    + " failed: connection closed without an answer", "klarna", orderId, 0, null, null, true, null);
        }
        if (answer.stalled()) {
            throw new ProviderApiException("fake Klarna " + call + " for order " + orderId + " timed out", "klarna",
                    orderId, 0, null, null, true, null);
        }
        if (answer.status() >= 300) {
            JsonNode error = readTree(answer.body());
            String code = error.path("error_code").asText();
            return throwFailure(call, orderId, answer.status(), code, error.path("correlation_id").asText());
        }
        return answer.body();
    }

    private static String throwFailure(Call call, String orderId, int status, String code, String correlationId) {
        throw new ProviderApiException("fake Klarna " + call + " for order " + orderId + " answered " + status + " " + code
                + ": scripted by the test", "klarna", orderId, status, code, correlationId,
                ProviderApiException.retryableStatus(status), null);
    }

    // ---- shared by both ways ----------------------------------------------------------------

    /** {@code stall}: 0 answers, 1 holds everything, 2 sends the headers and half the body, then holds, {@value #DROP} drops. */
    private record Answer(int status, String body, int stall) {
        boolean stalled() {
            return stall != 0;
        }
    }

    private record Failure(int status, String errorCode) {
        static final Failure STALL = new Failure(0, null);
        static final Failure STALL_BODY = new Failure(0, "stall body");
    }

    private synchronized Answer answer(Call call, String orderId, String body) {
        calls.add(call + " " + orderId);
        Failure failure = Optional.ofNullable(failures.get(call)).map(Queue::poll).orElse(null);
        if (failure == null) {
            return withFault(() -> effect(call, orderId, body));
        }
        if (failure == Failure.STALL) {
            return new Answer(0, "", 1);
        }
        if (failure != Failure.STALL_BODY) {
            return error(failure.status(), failure.errorCode(), "scripted by the test");
        }
        KlarnaOrder order = orders.get(orderId);
        return order == null ? noSuchOrder(orderId) : new Answer(200, order.json(), 2);
    }

    /** {@code call} answered, or failed as the fault plan draws: a 5xx before it takes effect, a stall or drop after. */
    private synchronized Answer withFault(Supplier<Answer> call) {
        FaultPlan.Fault fault = faultPlan.draw(faultRandom);
        if (fault != FaultPlan.Fault.NONE) {
            faultsInjected.merge(fault, 1, Integer::sum);
        }
        if (fault == FaultPlan.Fault.SERVER_ERROR) {
            return error(FaultPlan.serverErrorStatus(faultRandom), "INJECTED_FAULT", "injected by the test");
        }
        Answer answer = call.get();
        return switch (fault) {
            case STALL -> new Answer(0, "", 1);
            case DISCONNECT -> new Answer(0, "", DROP);
            default -> answer;
        };
    }

    /** The call answered as Klarna would, its effect applied. */
    private Answer effect(Call call, String orderId, String body) {
        KlarnaOrder order = orders.get(orderId);
        if (order == null) {
            return noSuchOrder(orderId);
        }
        return switch (call) {
            case GET_ORDER, GET_CHECKOUT_ORDER -> new Answer(200, order.json(), 0);
            case ACKNOWLEDGE -> {
                acknowledged.add(orderId);
                yield new Answer(204, "", 0);
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
                yield new Answer(204, "", 0);
            }
        };
    }

    private static Answer noSuchOrder(String orderId) {
        return error(404, "NO_SUCH_ORDER", "Order " + orderId + " cannot be found.");
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode body = MAPPER.createObjectNode().put("error_code", code);
        body.putArray("error_messages").add(message);
        body.put("correlation_id", "fake-" + Integer.toHexString(Objects.hash(code, message)));
        return new Answer(status, body.toString(), 0);
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    // ---- over HTTP --------------------------------------------------------------------------

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String authorization = header(exchange, "Authorization");
            synchronized (this) {
                requests.add(new RecordedRequest(method, path, authorization, header(exchange, "Content-Type"),
                        header(exchange, "Klarna-Idempotency-Key"), body));
            }
            Answer answer = route(method, path, authorization, body);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.stall() == 1) {
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
            if (answer.stall() == DROP) {
                return; // closing an exchange that sent no headers closes its connection
            }
            if (answer.stall() == 2) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                OutputStream out = exchange.getResponseBody();
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
            if (bytes.length > 0) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Answer route(String method, String path, String authorization, String body) {
        byte[] expected = credentialsHeader().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
            return error(401, "UNAUTHORIZED", "Invalid credentials");
        }
        Matcher om = OM_ORDER.matcher(path);
        if (om.matches()) {
            String orderId = URLDecoder.decode(om.group(1), StandardCharsets.UTF_8);
            String action = om.group(2);
            if (action == null && method.equals("GET")) {
                return answer(Call.GET_ORDER, orderId, null);
            }
            if ("/acknowledge".equals(action) && method.equals("POST")) {
                return answer(Call.ACKNOWLEDGE, orderId, null);
            }
            if ("/merchant-references".equals(action) && method.equals("PATCH")) {
                return answer(Call.SET_MERCHANT_REFERENCES, orderId, body);
            }
            return error(405, "METHOD_NOT_ALLOWED", method + " " + path);
        }
        Matcher checkout = CHECKOUT_ORDER.matcher(path);
        if (checkout.matches() && method.equals("GET")) {
            return answer(Call.GET_CHECKOUT_ORDER, URLDecoder.decode(checkout.group(1), StandardCharsets.UTF_8), null);
        }
        return error(404, "NOT_FOUND", "No such resource " + path);
    }

    private static String header(HttpExchange exchange, String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)).orElse("");
    }

    private String credentialsHeader() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (credentials.merchantId() + ":" + credentials.sharedSecret()).getBytes(StandardCharsets.UTF_8));
    }
}
