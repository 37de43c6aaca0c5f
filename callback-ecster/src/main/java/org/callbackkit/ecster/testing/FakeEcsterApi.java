package org.callbackkit.ecster.testing;

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
import org.callbackkit.ecster.EcsterApi;
import org.callbackkit.ecster.EcsterCredentials;
import org.callbackkit.ecster.EcsterOrder;

/**
 * A scriptable Ecster order API for tests: script orders and failures, run the code under test,
 * then verify what was asked.
 *
 * <p>Use it in process as the {@link EcsterApi} ({@code EcsterCallbacks.builder().api(fake)}), or
 * over a real socket with {@link #serve()}: it then answers {@code GET /v1/orders/{id}} on
 * 127.0.0.1 as Ecster does (both keys checked, JSON orders, 401/404 with {@code title} and
 * {@code detail}), so the module's real HTTP client can be tested end to end. Both ways share the
 * orders and the script. Besides the scripted failures, {@link #faults(FaultPlan, Random)} makes
 * calls fail at random. Thread-safe; {@link #close()} stops the server and releases stalled answers.
 *
 * <pre>{@code
 * FakeEcsterApi ecster = new FakeEcsterApi();
 * ecster.putOrder(EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status("READY").line("sku-1", "Mug", 1, 9900).build());
 * ecster.failNext(503);
 * // ... run ...
 * assertThat(ecster.calls()).containsExactly("eYBtAD0wTZIzDWkVpGhe", "eYBtAD0wTZIzDWkVpGhe");
 * }</pre>
 */
public final class FakeEcsterApi implements EcsterApi, AutoCloseable {

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
    private static final Pattern ORDER_PATH = Pattern.compile("/v1/orders/([^/]+)");
    private static final int STALL = -1;
    private static final int DROP = -2;

    private final EcsterCredentials credentials;
    private final Map<String, EcsterOrder> orders = new HashMap<>();
    private final Queue<Integer> script = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<FaultPlan.Fault, Integer> faultsInjected = new EnumMap<>(FaultPlan.Fault.class);
    private final CountDownLatch closed = new CountDownLatch(1);
    private FaultPlan faultPlan = FaultPlan.NONE;
    private Random faultRandom = new Random(0);
    private HttpServer server;
    private ExecutorService serverThreads;

    /** A fake that accepts the keys {@code test-api-key} / {@code test-merchant-key} over HTTP. */
    public FakeEcsterApi() {
        this(new EcsterCredentials("test-api-key", "test-merchant-key"));
    }

    /** A fake that accepts only {@code credentials} over HTTP (401 otherwise). */
    public FakeEcsterApi(EcsterCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
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

    /** The next call (for any order) answers {@code status} with an error body; queue several to fail several. */
    public synchronized FakeEcsterApi failNext(int status) {
        script.add(status);
        return this;
    }

    /**
     * The next call never answers: over HTTP it is held until {@link #close()}, so the client's
     * timeout fires; in process it fails at once as a timeout would.
     */
    public synchronized FakeEcsterApi stallNext() {
        script.add(STALL);
        return this;
    }

    /**
     * From now on every order read fails at random as {@code plan} says, drawn from
     * {@code random}: give it a seed and print the seed, so a failing test can be replayed (the
     * same calls in the same order fail the same way). Calls scripted with {@link #failNext} or
     * {@link #stallNext} are not drawn for; faults are recorded in {@link #calls()} like any call.
     * What the module's HTTP client sees:
     * <ul>
     *   <li>{@link FaultPlan.Fault#SERVER_ERROR}: 500, 502, 503 or 504 with an Ecster error body:
     *       an {@link ProviderApiException} with that {@code status()}, {@code retryable()}.</li>
     *   <li>{@link FaultPlan.Fault#STALL}: no answer until {@link #close()}: after the client's
     *       read timeout, an {@link ProviderApiException} with status 0, {@code retryable()}. Give
     *       the module a short {@code readTimeout} in tests, so that no test waits long.</li>
     *   <li>{@link FaultPlan.Fault#DISCONNECT}: the connection is closed without a byte of answer:
     *       an {@link ProviderApiException} with status 0, {@code retryable()}, caused by the
     *       client's {@code IOException}. (The JDK client itself resends a GET once when this
     *       happens on a connection it had reused.)</li>
     * </ul>
     * In process, the same exceptions are thrown at once. {@link FaultPlan#NONE} stops the faults.
     */
    public synchronized FakeEcsterApi faults(FaultPlan plan, Random random) {
        this.faultPlan = Objects.requireNonNull(plan, "plan");
        this.faultRandom = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How many faults of each kind {@link #faults(FaultPlan, Random)} injected so far; kinds never drawn are absent. */
    public synchronized Map<FaultPlan.Fault, Integer> faultsInjected() {
        return Map.copyOf(faultsInjected);
    }

    /** The order ids asked for, in order, failed calls included. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The requests received over HTTP, in order. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Starts answering HTTP on 127.0.0.1 on a free port; idempotent.
     *
     * @return the base URI to give {@code EcsterCallbacks.Builder.apiBaseUri}
     * @throws IllegalStateException if the server cannot start
     */
    public synchronized URI serve() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake Ecster API", e);
            }
            serverThreads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-ecster-api");
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
    public EcsterOrder getOrder(String ecsterOrderId) {
        Answer answer = answer(ecsterOrderId);
        if (answer.status() == DROP) {
            throw failure(ecsterOrderId, "failed: connection closed without an answer", 0, true);
        }
        if (answer.status() == STALL) {
            throw failure(ecsterOrderId, "timed out", 0, true);
        }
        if (answer.status() != 200) {
            throw failure(ecsterOrderId, "answered " + answer.status(), answer.status(),
                    ProviderApiException.retryableStatus(answer.status()));
        }
        return EcsterOrder.parse(answer.body());
    }

    private static ProviderApiException failure(String ecsterOrderId, String what, int status, boolean retryable) {
        return new ProviderApiException("fake Ecster GET order " + ecsterOrderId + " " + what, "ecster", ecsterOrderId,
                status, null, null, retryable, null);
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(String orderId) {
        calls.add(orderId);
        Integer scripted = script.poll();
        if (scripted != null) {
            return scripted == STALL ? new Answer(STALL, "") : error(scripted, "Scripted failure", "scripted by the test");
        }
        return withFault(() -> {
            EcsterOrder order = orders.get(orderId);
            return order == null ? error(404, "Not Found", "Order " + orderId + " not found") : new Answer(200, order.json());
        });
    }

    /** {@code call} answered, or failed as the fault plan draws: a 5xx before it takes effect, a stall or drop after. */
    private synchronized Answer withFault(Supplier<Answer> call) {
        FaultPlan.Fault fault = faultPlan.draw(faultRandom);
        if (fault != FaultPlan.Fault.NONE) {
            faultsInjected.merge(fault, 1, Integer::sum);
        }
        if (fault == FaultPlan.Fault.SERVER_ERROR) {
            return error(FaultPlan.serverErrorStatus(faultRandom), "Service Unavailable", "injected by the test");
        }
        Answer answer = call.get();
        return switch (fault) {
            case STALL -> new Answer(STALL, "");
            case DISCONNECT -> new Answer(DROP, "");
            default -> answer;
        };
    }

    private static Answer error(int status, String title, String detail) {
        return new Answer(status, MAPPER.createObjectNode().put("title", title).put("detail", detail).toString());
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String apiKey = header(exchange, "x-api-key");
            String merchantKey = header(exchange, "x-merchant-key");
            synchronized (this) {
                requests.add(new RecordedRequest(method, path, apiKey, merchantKey, header(exchange, "Accept")));
            }
            Matcher order = ORDER_PATH.matcher(path);
            Answer answer;
            if (!apiKey.equals(credentials.apiKey()) || !merchantKey.equals(credentials.merchantKey())) {
                answer = error(401, "Unauthorized", "Invalid api key or merchant key");
            } else if (!order.matches() || !method.equals("GET")) {
                answer = error(404, "Not Found", "No resource " + method + " " + path);
            } else {
                answer = answer(order.group(1));
            }
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

    private static String header(HttpExchange exchange, String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)).orElse("");
    }
}
