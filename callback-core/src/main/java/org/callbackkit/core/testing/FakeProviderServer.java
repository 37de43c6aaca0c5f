package org.callbackkit.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.callbackkit.core.testing.FakeResponse.Delivery;
import org.callbackkit.core.testing.FaultPlan.Fault;

/**
 * A fake provider API for tests, in the spirit of OkHttp's MockWebServer: it answers HTTP on
 * 127.0.0.1, lets the test script answers and faults, and records every request for the test to
 * verify afterwards. A provider module builds its fake API on it: the routes it answers, how it
 * checks credentials and what its errors look like; the server does the rest.
 *
 * <p>A request is answered, in this order, by:
 * <ol>
 *   <li>the next answer {@linkplain #enqueue(FakeResponse) enqueued for any request}, if there is one;</li>
 *   <li>the {@linkplain Builder#authentication refusal}, if its credentials are not accepted;</li>
 *   <li>the {@linkplain Builder#unrouted answer to unknown routes}, if it matches no route;</li>
 *   <li>otherwise, it is a <em>call</em> of its route, recorded in {@link #calls()} and answered by
 *       the next answer {@linkplain #enqueue(String, FakeResponse) enqueued for that route}, else
 *       by a fault drawn from the {@linkplain #faults(FaultPlan, Random) fault plan}, else by the
 *       route's handler.</li>
 * </ol>
 * A provider's fake can also make calls {@linkplain #call in process}, without a socket, through
 * the same route script and faults, so that one fake serves tests with and without its HTTP client.
 *
 * <pre>{@code
 * try (FakeProviderServer server = FakeProviderServer.builder("fake Ecster API")
 *         .route("GET /v1/orders/{id}", request -> FakeResponse.json(200, orders.get(request.pathVariable("id"))))
 *         .build()) {
 *     URI base = server.start();
 *     server.enqueue("GET /v1/orders/{id}", FakeResponse.json(503, "{}"));  // the first read fails
 *     // ... run the client against base ...
 *     RecordedRequest first = server.takeRequest(Duration.ofSeconds(5));
 *     assertThat(first.header("x-api-key")).isEqualTo("test-api-key");
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests are answered concurrently, and a test may script, read and release from
 * any thread. Handlers run without the server's lock held. {@link #close()} stops the server and
 * drops the answers still stalled.
 */
public final class FakeProviderServer implements AutoCloseable {

    private final String name;
    private final Map<String, Route> routes;
    private final Predicate<RecordedRequest> accepted;
    private final FakeResponse refusal;
    private final Function<RecordedRequest, FakeResponse> unrouted;
    private final IntFunction<FakeResponse> injectedServerError;
    private final StallRelease stalls = new StallRelease();
    private final Queue<FakeResponse> anyRequestScript = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final List<RecordedRequest> calls = new ArrayList<>();
    private final Map<Fault, Integer> faultsInjected = new EnumMap<>(Fault.class);
    private FaultPlan faultPlan = FaultPlan.NONE;
    private Random faultRandom = new Random(0);
    private HttpServer server;
    private ExecutorService serverThreads;
    private boolean closed;

    private FakeProviderServer(Builder builder) {
        this.name = builder.name;
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.routes));
        this.accepted = builder.accepted;
        this.refusal = builder.refusal;
        this.unrouted = builder.unrouted;
        this.injectedServerError = builder.injectedServerError;
    }

    /**
     * A builder for a server called {@code name} (in thread names and error messages), such as
     * {@code "fake Klarna API"}.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** How a provider's fake API answers: its routes, its credentials check and its error bodies. */
    public static final class Builder {

        private final String name;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private Predicate<RecordedRequest> accepted = request -> true;
        private FakeResponse refusal = FakeResponse.empty(401);
        private Function<RecordedRequest, FakeResponse> unrouted = request -> FakeResponse.empty(404);
        private IntFunction<FakeResponse> injectedServerError = FakeResponse::empty;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Answers calls of {@code route} with {@code handler}, unless an answer is scripted. A route
         * is a method and a path, such as {@code GET /v1/orders/{id}} or
         * {@code POST /api/partner/tokens}; a {@code {name}} segment matches any one non-empty
         * segment, and the handler reads it with {@link RecordedRequest#pathVariable(String)}.
         * Requests are matched to routes in the order they were added. The handler's answer is
         * also what the server stalls or drops for a fault: it is called, and takes effect, for
         * every call but those answered by a script or an injected server error.
         *
         * @throws IllegalArgumentException if {@code route} is not a method and a path, or is added twice
         */
        public Builder route(String route, Function<RecordedRequest, FakeResponse> handler) {
            Objects.requireNonNull(handler, "handler");
            if (routes.putIfAbsent(route, new Route(route, handler)) != null) {
                throw new IllegalArgumentException("route added twice: " + route);
            }
            return this;
        }

        /**
         * Answers {@code refusal} to every request over HTTP that {@code accepted} does not accept,
         * before it is routed: such a request is no call, and takes no scripted answer or fault.
         * The predicate sees {@link RecordedRequest#route()}, so it can guard some routes only. In
         * process calls are not checked. By default every request is accepted.
         */
        public Builder authentication(Predicate<RecordedRequest> accepted, FakeResponse refusal) {
            this.accepted = Objects.requireNonNull(accepted, "accepted");
            this.refusal = Objects.requireNonNull(refusal, "refusal");
            return this;
        }

        /** Answers requests that match no route with {@code answer}; by default an empty 404. */
        public Builder unrouted(Function<RecordedRequest, FakeResponse> answer) {
            this.unrouted = Objects.requireNonNull(answer, "answer");
            return this;
        }

        /**
         * Answers a call failed by a {@link Fault#SERVER_ERROR} fault with {@code answer} for the
         * status drawn (500, 502, 503 or 504): the provider's error body. By default an empty body.
         */
        public Builder injectedServerError(IntFunction<FakeResponse> answer) {
            this.injectedServerError = Objects.requireNonNull(answer, "answer");
            return this;
        }

        /** The server, not yet listening: {@link FakeProviderServer#start()} starts it. */
        public FakeProviderServer build() {
            return new FakeProviderServer(this);
        }
    }

    /**
     * Starts answering HTTP on 127.0.0.1 on a free port; idempotent.
     *
     * @return the base URI, such as {@code http://127.0.0.1:49152/}
     * @throws IllegalStateException if the server was closed or cannot start
     */
    public synchronized URI start() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the " + name, e);
            }
            String threadName = name.toLowerCase(Locale.ROOT).replace(' ', '-');
            serverThreads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(serverThreads);
            server.createContext("/", this::exchange);
            server.start();
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * The next request, whatever its path or credentials, is answered with {@code response}: it is
     * no call of a route, and its handler is not run. Queue several to answer several requests.
     */
    public synchronized FakeProviderServer enqueue(FakeResponse response) {
        anyRequestScript.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    /**
     * The next call of {@code route}, over HTTP or in process, is answered with {@code response}
     * instead of its handler (which is not run, so the call takes no effect), and draws no fault.
     * Queue several to answer several calls.
     *
     * @throws IllegalArgumentException if the server has no such route
     */
    public FakeProviderServer enqueue(String route, FakeResponse response) {
        Objects.requireNonNull(response, "response");
        return script(route, own -> response);
    }

    /**
     * The next call of {@code route} is answered by its handler as usual, so it takes effect, but
     * the answer is delivered as {@code delivery}: stalled or dropped after the effect, as a lost
     * answer is. It draws no fault.
     *
     * @throws IllegalArgumentException if the server has no such route
     */
    public FakeProviderServer enqueue(String route, Delivery delivery) {
        Objects.requireNonNull(delivery, "delivery");
        return script(route, own -> own.get().delivered(delivery));
    }

    private FakeProviderServer script(String route, Route.Scripted scripted) {
        Route scriptedRoute = routeNamed(route);
        synchronized (this) {
            scriptedRoute.script().add(scripted);
        }
        return this;
    }

    /**
     * From now on, every call of a route that has no scripted answer fails at random as
     * {@code plan} says, drawn from {@code random}: give it a seed and print the seed, so that a
     * failing test can be replayed (the same calls in the same order fail the same way). A
     * {@link Fault#SERVER_ERROR} answers the {@linkplain Builder#injectedServerError provider's
     * error} before the call takes effect; a {@link Fault#STALL} or a {@link Fault#DISCONNECT}
     * runs the handler, so the call takes effect, then delivers its answer
     * {@link Delivery#STALLED} or {@link Delivery#DROPPED}. {@link FaultPlan#NONE} stops the faults.
     */
    public synchronized FakeProviderServer faults(FaultPlan plan, Random random) {
        this.faultPlan = Objects.requireNonNull(plan, "plan");
        this.faultRandom = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How many faults of each kind the fault plan injected so far; kinds never drawn are absent. */
    public synchronized Map<Fault, Integer> faultsInjected() {
        return Map.copyOf(faultsInjected);
    }

    /**
     * Makes a call of {@code route} in process, without a socket or a credentials check, as if it
     * had come over HTTP: it is recorded in {@link #calls()} (not in {@link #requests()}) and
     * answered by the route's script, a fault or its handler. Nothing is held: a stalled or
     * dropped answer is returned at once, for the caller to turn into what its client would raise
     * (see {@link FakeResponse#bodyOrThrow}).
     *
     * @param pathVariables the value of each {@code {name}} in the route's path
     * @param body the request body, empty for none
     * @throws IllegalArgumentException if the server has no such route, or a path variable has no value
     */
    public FakeResponse call(String route, Map<String, String> pathVariables, String body) {
        Route called = routeNamed(route);
        return answerCall(called, new RecordedRequest(called.method(), called.path(pathVariables), Map.of(), body,
                route, pathVariables));
    }

    /**
     * The oldest request received over HTTP that was not yet taken, waiting up to {@code timeout}
     * for one to arrive. Each request is taken once, in the order they arrived.
     *
     * @throws IllegalStateException if none arrived within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        RecordedRequest request = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (request == null) {
            throw new IllegalStateException("no request reached the " + name + " within " + timeout);
        }
        return request;
    }

    /** Every request received over HTTP so far, in order, taken or not, refused ones included. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every call of a route so far, over HTTP or in process, in order, scripted and failed ones included. */
    public synchronized List<RecordedRequest> calls() {
        return List.copyOf(calls);
    }

    /**
     * Releases every answer stalled so far ({@link Delivery#STALLED} and
     * {@link Delivery#STALLED_MID_BODY}): the rest of each answer is sent. A request the test has
     * seen (in {@link #takeRequest} or {@link #requests()}) is released even if its answer had not
     * yet begun to stall. Later stalls are held again.
     */
    public void releaseStalls() {
        stalls.releaseAll();
    }

    /**
     * Stops the HTTP server, if started, and closes the connections of the answers still stalled.
     * In-process calls still work afterwards; {@link #start()} does not.
     */
    @Override
    public void close() {
        stalls.close();
        HttpServer running;
        synchronized (this) {
            closed = true;
            running = server;
            server = null;
        }
        if (running != null) {
            running.stop(0);
            serverThreads.shutdownNow();
        }
    }

    private Route routeNamed(String route) {
        return Optional.ofNullable(routes.get(route))
                .orElseThrow(() -> new IllegalArgumentException("the " + name + " has no route " + route));
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            long stallTicket = stalls.ticket();
            RecordedRequest request = recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(), body);
            synchronized (this) {
                requests.add(request);
            }
            untaken.add(request);
            deliver(exchange, answer(request), stallTicket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RecordedRequest recorded(String method, String path, Map<String, List<String>> headers, String body) {
        for (Route route : routes.values()) {
            Optional<Map<String, String>> variables = route.match(method, path);
            if (variables.isPresent()) {
                return new RecordedRequest(method, path, headers, body, route.key(), variables.get());
            }
        }
        return new RecordedRequest(method, path, headers, body, "", Map.of());
    }

    private FakeResponse answer(RecordedRequest request) {
        FakeResponse scripted;
        synchronized (this) {
            scripted = anyRequestScript.poll();
        }
        if (scripted != null) {
            return scripted;
        }
        if (!accepted.test(request)) {
            return refusal;
        }
        if (request.route().isEmpty()) {
            return unrouted.apply(request);
        }
        return answerCall(routeNamed(request.route()), request);
    }

    private FakeResponse answerCall(Route route, RecordedRequest request) {
        Route.Scripted scripted;
        Fault fault = Fault.NONE;
        int serverErrorStatus = 0;
        synchronized (this) {
            calls.add(request);
            scripted = route.script().poll();
            if (scripted == null) {
                fault = faultPlan.draw(faultRandom);
                if (fault != Fault.NONE) {
                    faultsInjected.merge(fault, 1, Integer::sum);
                }
                if (fault == Fault.SERVER_ERROR) {
                    serverErrorStatus = FaultPlan.serverErrorStatus(faultRandom);
                }
            }
        }
        Supplier<FakeResponse> own = () -> route.answer(request);
        if (scripted != null) {
            return scripted.apply(own);
        }
        return switch (fault) {
            case NONE -> own.get();
            case SERVER_ERROR -> injectedServerError.apply(serverErrorStatus);
            case STALL -> own.get().delivered(Delivery.STALLED);
            case DISCONNECT -> own.get().delivered(Delivery.DROPPED);
        };
    }

    /** Sends {@code response} as its delivery says; returning without sending headers closes the connection. */
    private void deliver(HttpExchange exchange, FakeResponse response, long stallTicket)
            throws IOException, InterruptedException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        switch (response.delivery()) {
            case DROPPED -> {
            }
            case STALLED -> {
                if (stalls.await(stallTicket)) {
                    sendHeaders(exchange, response, body);
                    writeAndClose(exchange, body, 0);
                }
            }
            case STALLED_MID_BODY -> {
                sendHeaders(exchange, response, body);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                if (stalls.await(stallTicket)) {
                    writeAndClose(exchange, body, body.length / 2);
                }
            }
            case IN_FULL -> {
                sendHeaders(exchange, response, body);
                writeAndClose(exchange, body, 0);
            }
        }
    }

    private static void sendHeaders(HttpExchange exchange, FakeResponse response, byte[] body) throws IOException {
        if (body.length > 0 && !response.contentType().isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    }

    private static void writeAndClose(HttpExchange exchange, byte[] body, int from) throws IOException {
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, from, body.length - from);
            }
        }
    }
}
