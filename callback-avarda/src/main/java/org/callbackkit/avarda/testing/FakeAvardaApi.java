package org.callbackkit.avarda.testing;

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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callbackkit.avarda.AvardaApi;
import org.callbackkit.avarda.AvardaCredentials;
import org.callbackkit.avarda.AvardaPayment;
import org.callbackkit.core.ProviderApiException;
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
 * payments and the script, which applies to payment reads only. Besides the scripted failures,
 * {@link #faults(FaultPlan, Random)} makes calls fail at random. Thread-safe; {@link #close()}
 * stops the server and releases stalled answers.
 *
 * <pre>{@code
 * FakeAvardaApi avarda = new FakeAvardaApi();
 * avarda.putPayment(AvardaPaymentBuilder.payment("489ea341e23941089e6d0378c708512a").totalPrice("123.45").build());
 * avarda.failNext(503);
 * // ... run ...
 * assertThat(avarda.calls()).hasSize(2);
 * }</pre>
 */
public final class FakeAvardaApi implements AvardaApi, AutoCloseable {

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
    private static final Pattern PAYMENT_PATH = Pattern.compile("/api/partner/payments/([^/]+)");
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final int STALL = -1;
    private static final int DROP = -2;

    private final AvardaCredentials credentials;
    private final Map<String, AvardaPayment> payments = new HashMap<>();
    private final Queue<Integer> script = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Set<String> validTokens = new HashSet<>();
    private final Map<FaultPlan.Fault, Integer> faultsInjected = new EnumMap<>(FaultPlan.Fault.class);
    private final CountDownLatch closed = new CountDownLatch(1);
    private FaultPlan faultPlan = FaultPlan.NONE;
    private Random faultRandom = new Random(0);
    private Clock clock = Clock.systemUTC();
    private int tokensIssued;
    private HttpServer server;
    private ExecutorService serverThreads;

    /** A fake that accepts the client {@code test-client-id} / {@code test-client-secret} over HTTP. */
    public FakeAvardaApi() {
        this(new AvardaCredentials("test-client-id", "test-client-secret"));
    }

    /** A fake that accepts only {@code credentials} over HTTP (401 otherwise). */
    public FakeAvardaApi(AvardaCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
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
    public synchronized FakeAvardaApi failNext(int status) {
        script.add(status);
        return this;
    }

    /**
     * The next payment read never answers: over HTTP it is held until {@link #close()}, so the
     * client's timeout fires; in process it fails at once as a timeout would.
     */
    public synchronized FakeAvardaApi stallNext() {
        script.add(STALL);
        return this;
    }

    /**
     * From now on payment reads, and over HTTP token requests too, fail at random as {@code plan}
     * says, drawn from {@code random}: give it a seed and print the seed, so a failing test can be
     * replayed (the same calls in the same order fail the same way). Reads scripted with
     * {@link #failNext} or {@link #stallNext} are not drawn for; faulty reads are recorded in
     * {@link #calls()} like any read. What the module's HTTP client sees:
     * <ul>
     *   <li>{@link FaultPlan.Fault#SERVER_ERROR}: 500, 502, 503 or 504 with an Avarda error body,
     *       before the call takes effect: an {@link ProviderApiException} with that
     *       {@code status()}, {@code retryable()}.</li>
     *   <li>{@link FaultPlan.Fault#STALL}: the call takes effect (a token is issued) but no answer
     *       comes until {@link #close()}: after the client's read timeout, an
     *       {@link ProviderApiException} with status 0, {@code retryable()}. Give the module a short
     *       {@code readTimeout} in tests, so that no test waits long.</li>
     *   <li>{@link FaultPlan.Fault#DISCONNECT}: the call takes effect, then the connection is
     *       closed without a byte of answer: an {@link ProviderApiException} with status 0,
     *       {@code retryable()}, caused by the client's {@code IOException}. (The JDK client
     *       itself resends a GET once when this happens on a connection it had reused.)</li>
     * </ul>
     * In process, the same exceptions are thrown at once. {@link FaultPlan#NONE} stops the faults.
     */
    public synchronized FakeAvardaApi faults(FaultPlan plan, Random random) {
        this.faultPlan = Objects.requireNonNull(plan, "plan");
        this.faultRandom = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How many faults of each kind {@link #faults(FaultPlan, Random)} injected so far; kinds never drawn are absent. */
    public synchronized Map<FaultPlan.Fault, Integer> faultsInjected() {
        return Map.copyOf(faultsInjected);
    }

    /** Revokes every token issued so far: the next payment read with one is answered 401. */
    public synchronized FakeAvardaApi revokeTokens() {
        validTokens.clear();
        return this;
    }

    /** The purchase ids read, in order, failed reads included. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** How many partner access tokens were issued over HTTP. */
    public synchronized int tokensIssued() {
        return tokensIssued;
    }

    /** The requests received over HTTP, in order. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Starts answering HTTP on 127.0.0.1 on a free port; idempotent.
     *
     * @return the base URI to give {@code AvardaCallbacks.Builder.apiBaseUri}
     * @throws IllegalStateException if the server cannot start
     */
    public synchronized URI serve() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake Avarda API", e);
            }
            serverThreads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-avarda-api");
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

    /** In process: the scripted answer, failures as {@link ProviderApiException}s the way the HTTP client raises them. */
    @Override
    public AvardaPayment getPayment(String purchaseId) {
        Answer answer = payment(purchaseId);
        if (answer.status() == DROP) {
            throw failure(purchaseId, "failed: connection closed without an answer", 0, true);
        }
        if (answer.status() == STALL) {
            throw failure(purchaseId, "timed out", 0, true);
        }
        if (answer.status() != 200) {
            throw failure(purchaseId, "answered " + answer.status(), answer.status(),
                    ProviderApiException.retryableStatus(answer.status()));
        }
        return AvardaPayment.parse(answer.body());
    }

    private static ProviderApiException failure(String purchaseId, String what, int status, boolean retryable) {
        return new ProviderApiException("fake Avarda GET payment " + purchaseId + " " + what, "avarda", purchaseId, status,
                null, null, retryable, null);
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer payment(String purchaseId) {
        calls.add(purchaseId);
        Integer scripted = script.poll();
        if (scripted != null) {
            return scripted == STALL ? new Answer(STALL, "") : error(scripted, "scripted by the test");
        }
        return withFault(() -> {
            AvardaPayment payment = payments.get(purchaseId);
            return payment == null ? error(404, "Purchase " + purchaseId + " not found") : new Answer(200, payment.json());
        });
    }

    /** {@code call} answered, or failed as the fault plan draws: a 5xx before it takes effect, a stall or drop after. */
    private synchronized Answer withFault(Supplier<Answer> call) {
        FaultPlan.Fault fault = faultPlan.draw(faultRandom);
        if (fault != FaultPlan.Fault.NONE) {
            faultsInjected.merge(fault, 1, Integer::sum);
        }
        if (fault == FaultPlan.Fault.SERVER_ERROR) {
            return error(FaultPlan.serverErrorStatus(faultRandom), "injected by the test");
        }
        Answer answer = call.get();
        return switch (fault) {
            case STALL -> new Answer(STALL, "");
            case DISCONNECT -> new Answer(DROP, "");
            default -> answer;
        };
    }

    private synchronized Answer token(String body) {
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
        return new Answer(200, MAPPER.createObjectNode().put("token", token)
                .put("tokenExpirationUtc", clock.instant().plus(TOKEN_LIFETIME).toString()).toString());
    }

    private static Answer error(int status, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("errors").add(message);
        return new Answer(status, body.toString());
    }

    private Answer route(String method, String path, String authorization, String body) {
        if (method.equals("POST") && path.equals("/api/partner/tokens")) {
            return withFault(() -> token(body));
        }
        Matcher payment = PAYMENT_PATH.matcher(path);
        if (!method.equals("GET") || !payment.matches()) {
            return error(404, "No resource " + method + " " + path);
        }
        synchronized (this) {
            if (!authorization.startsWith("Bearer ") || !validTokens.contains(authorization.substring(7))) {
                return error(401, "Invalid or expired token");
            }
        }
        return payment(payment.group(1));
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            synchronized (this) {
                requests.add(new RecordedRequest(method, path, authorization, body));
            }
            Answer answer = route(method, path, authorization, body);
            if (answer.status() == STALL) {
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
            if (answer.status() == DROP) {
                return; // closing an exchange that sent no headers closes its connection
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
