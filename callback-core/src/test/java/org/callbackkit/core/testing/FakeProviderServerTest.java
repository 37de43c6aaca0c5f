package org.callbackkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.testing.FakeResponse.Delivery;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake provider server over real loopback HTTP: scripts, faults, recorded requests, concurrency. */
class FakeProviderServerTest {

    private static final String ITEM = "GET /items/{id}";
    private static final String NOTE = "POST /notes";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final AtomicInteger itemsAnswered = new AtomicInteger();
    private final FakeProviderServer server = FakeProviderServer.builder("fake test API")
            .route(ITEM, request -> {
                itemsAnswered.incrementAndGet();
                return FakeResponse.json(200, "{\"id\":\"" + request.pathVariable("id") + "\"}");
            })
            .route(NOTE, request -> FakeResponse.empty(201))
            .authentication(request -> !request.header("Authorization").equals("Bearer wrong"),
                    FakeResponse.json(401, "{\"error\":\"unauthorized\"}"))
            .unrouted(request -> FakeResponse.json(404, "{\"error\":\"no " + request.path() + "\"}"))
            .injectedServerError(status -> FakeResponse.json(status, "{\"error\":\"injected\"}"))
            .build();
    private final URI base = server.start();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(PATIENCE).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(PATIENCE);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersEnqueuedForAnyRequestComeFirstInOrderThenTheRoutesAnswer() throws Exception {
        server.enqueue(FakeResponse.json(503, "{\"error\":\"busy\"}")).enqueue(FakeResponse.empty(204));

        HttpResponse<String> first = get("items/1");
        HttpResponse<String> second = client.send(request("notes").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> third = get("items/a%20b");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"error\":\"busy\"}");
        assertThat(first.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(second.statusCode()).isEqualTo(204);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.body()).isEqualTo("{\"id\":\"a b\"}");
        RecordedRequest item = server.takeRequest(PATIENCE);
        RecordedRequest note = server.takeRequest(PATIENCE);
        assertThat(item.method()).isEqualTo("GET");
        assertThat(item.path()).isEqualTo("/items/1");
        assertThat(item.route()).isEqualTo(ITEM);
        assertThat(note.method()).isEqualTo("POST");
        assertThat(note.header("content-type")).isEqualTo("text/plain");
        assertThat(note.headers()).containsKey("CONTENT-TYPE");
        assertThat(note.body()).isEqualTo("hello");
        assertThat(server.takeRequest(PATIENCE).path()).isEqualTo("/items/a%20b");
        assertThat(server.requests()).hasSize(3);
        assertThat(server.calls()).extracting(RecordedRequest::path).containsExactly("/items/a%20b");
    }

    @Test
    void anAnswerEnqueuedForARouteAnswersOnlyThatRouteAndSkipsItsHandler() throws Exception {
        server.enqueue(ITEM, FakeResponse.json(500, "{}"));

        assertThat(get("notes").statusCode()).isEqualTo(404); // GET /notes is no route
        assertThat(client.send(request("notes").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        assertThat(get("items/1").statusCode()).isEqualTo(500);
        assertThat(itemsAnswered).hasValue(0);
        assertThat(get("items/1").statusCode()).isEqualTo(200);
        assertThat(itemsAnswered).hasValue(1);
        assertThat(get("nowhere").body()).isEqualTo("{\"error\":\"no /nowhere\"}");
    }

    @Test
    void aRefusedRequestIsNoCallAndLeavesTheRouteScriptAlone() throws Exception {
        server.enqueue(ITEM, FakeResponse.json(503, "{}"));

        HttpResponse<String> refused = client.send(request("items/1").header("Authorization", "Bearer wrong").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"error\":\"unauthorized\"}");
        assertThat(get("items/1").statusCode()).isEqualTo(503);
        assertThat(server.requests()).extracting(r -> r.header("Authorization")).containsExactly("Bearer wrong", "");
        assertThat(server.calls()).hasSize(1);
    }

    @Test
    void aServerErrorFaultAnswersTheProvidersErrorBeforeTheCallTakesEffect() throws Exception {
        server.faults(FaultPlan.always(Fault.SERVER_ERROR), new Random(1));

        HttpResponse<String> answer = get("items/1");

        assertThat(answer.statusCode()).isIn(500, 502, 503, 504);
        assertThat(answer.body()).isEqualTo("{\"error\":\"injected\"}");
        assertThat(itemsAnswered).hasValue(0);
        assertThat(server.faultsInjected()).isEqualTo(Map.of(Fault.SERVER_ERROR, 1));
    }

    @Test
    void aDisconnectFaultTakesEffectThenClosesTheConnectionWithoutAnAnswer() {
        server.faults(FaultPlan.always(Fault.DISCONNECT), new Random(1));

        assertThat(catchThrowable(() -> get("items/1"))).isInstanceOf(IOException.class);
        assertThat(itemsAnswered.get()).isPositive().isEqualTo(server.calls().size());
        assertThat(server.faultsInjected()).containsOnlyKeys(Fault.DISCONNECT);
    }

    @Test
    void aStallFaultTakesEffectAndLastsUntilTheClientsTimeout() {
        server.faults(FaultPlan.always(Fault.STALL), new Random(1));

        Throwable thrown = catchThrowable(() -> client.send(request("items/1").timeout(Duration.ofMillis(200)).build(),
                HttpResponse.BodyHandlers.ofString()));

        assertThat(thrown).isInstanceOf(HttpTimeoutException.class);
        assertThat(itemsAnswered).hasValue(1);
        assertThat(server.faultsInjected()).isEqualTo(Map.of(Fault.STALL, 1));
    }

    @Test
    void aStalledAnswerIsSentWhenTheTestReleasesIt() throws Exception {
        server.enqueue(ITEM, Delivery.STALLED);
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request("items/7").build(),
                HttpResponse.BodyHandlers.ofString());

        server.takeRequest(PATIENCE);
        assertThat(answer).isNotDone();
        server.releaseStalls();

        assertThat(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo("{\"id\":\"7\"}");
        assertThat(itemsAnswered).hasValue(1);
    }

    @Test
    void aBodyStalledMidwayIsFinishedWhenTheTestReleasesIt() throws Exception {
        server.enqueue(ITEM, Delivery.STALLED_MID_BODY);
        HttpResponse<InputStream> answer = client.send(request("items/1234567").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String whole = "{\"id\":\"1234567\"}";

        try (InputStream body = answer.body()) {
            byte[] half = body.readNBytes(whole.length() / 2);
            server.releaseStalls();
            byte[] rest = body.readAllBytes();

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(new String(half, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8))
                    .isEqualTo(whole);
        }
    }

    @Test
    void closingTheServerDropsTheAnswersStillStalled() throws Exception {
        server.enqueue(FakeResponse.json(200, "{}").delivered(Delivery.STALLED));
        // a POST: the JDK client resends a GET once when a reused connection closes without an answer,
        // and under load that resend could reach the server before it stopped and get a real answer
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                request("items/1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        server.takeRequest(PATIENCE);

        server.close();

        assertThat(catchThrowable(() -> answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inProcessCallsShareTheRouteScriptAndFaultsButAreNoRequests() {
        server.enqueue(ITEM, FakeResponse.json(404, "{}")).enqueue(ITEM, Delivery.DROPPED);

        assertThat(failureOf(server.call(ITEM, Map.of("id", "1"), ""))).isEqualTo("answered 404 status 404 final");
        assertThat(failureOf(server.call(ITEM, Map.of("id", "1"), "")))
                .isEqualTo("failed: connection closed without an answer status 0 retryable");
        assertThat(itemsAnswered).hasValue(1);
        server.faults(FaultPlan.always(Fault.STALL), new Random(1));
        assertThat(failureOf(server.call(ITEM, Map.of("id", "1"), ""))).isEqualTo("timed out status 0 retryable");
        server.faults(FaultPlan.NONE, new Random(1));
        assertThat(server.call(ITEM, Map.of("id", "2"), "").bodyOrThrow(FakeProviderServerTest::failure))
                .isEqualTo("{\"id\":\"2\"}");

        assertThat(server.requests()).isEmpty();
        assertThat(server.calls()).extracting(RecordedRequest::path).containsExactly("/items/1", "/items/1", "/items/1",
                "/items/2");
        assertThat(server.calls().get(3).pathVariable("id")).isEqualTo("2");
    }

    @Test
    void theSameSeedInjectsTheSameFaultsInTheSameCalls() {
        assertThat(outcomesWithSeed(20261207)).isEqualTo(outcomesWithSeed(20261207)).contains("timed out status 0 retryable");
    }

    private static List<String> outcomesWithSeed(long seed) {
        try (FakeProviderServer fake = FakeProviderServer.builder("fake seeded API")
                .route(ITEM, request -> FakeResponse.json(200, "{}")).build()) {
            fake.faults(FaultPlan.evenly(0.6), new Random(seed));
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                outcomes.add(failureOf(fake.call(ITEM, Map.of("id", "x"), "")));
            }
            return outcomes;
        }
    }

    @Test
    void concurrentRequestsAreEachRecordedOnceAndEachScriptedAnswerIsUsedOnce() throws Exception {
        int threads = 8;
        int perThread = 25;
        int scripted = 50;
        for (int i = 0; i < scripted; i++) {
            server.enqueue(ITEM, FakeResponse.json(503, "{}"));
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int status = get("items/" + thread + "-" + i).statusCode();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> each : done) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int total = threads * perThread;
        assertThat(statuses.get(503)).hasValue(scripted);
        assertThat(statuses.get(200)).hasValue(total - scripted);
        assertThat(itemsAnswered).hasValue(total - scripted);
        assertThat(server.requests()).hasSize(total);
        assertThat(server.calls()).hasSize(total);
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            taken.add(server.takeRequest(PATIENCE).path());
        }
        assertThat(taken).doesNotHaveDuplicates().hasSize(total);
        assertThatThrownBy(() -> server.takeRequest(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesRoutesItCannotMatchAndScriptsForRoutesItDoesNotHave() {
        FakeProviderServer.Builder builder = FakeProviderServer.builder("fake API");

        for (String bad : new String[] {"get /x", "GET x", "GET", "/x", "GET /x/{a", "GET /x//y", "GET /x/"}) {
            assertThatThrownBy(() -> builder.route(bad, request -> FakeResponse.empty(200))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        builder.route("GET /x", request -> FakeResponse.empty(200));
        assertThatThrownBy(() -> builder.route("GET /x", request -> FakeResponse.empty(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> server.enqueue("GET /nowhere", FakeResponse.empty(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no route");
        assertThatThrownBy(() -> server.call(ITEM, Map.of(), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeResponse.empty(99)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String failureOf(FakeResponse response) {
        try {
            return "answered " + response.bodyOrThrow(FakeProviderServerTest::failure);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private static IllegalStateException failure(String description, int status, boolean retryable) {
        return new IllegalStateException(description + " status " + status + (retryable ? " retryable" : " final"));
    }
}
