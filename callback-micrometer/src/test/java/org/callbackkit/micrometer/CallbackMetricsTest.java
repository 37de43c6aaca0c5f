package org.callbackkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** Each meter of {@link CallbackMetrics} on a {@link SimpleMeterRegistry}, and that its tags stay bounded. */
class CallbackMetricsTest {

    private static final int ORDERS = 1_000;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CallbackMetrics metrics = new CallbackMetrics(registry, Duration.ZERO);
    private final MutableClock clock = MutableClock.atFixedStart();

    @Test
    void callbacksAreCountedAndTimedByProviderKindAndOutcomeNeverByOrder() {
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        CallbackRouter router = CallbackRouter.builder().clock(clock).journal(metrics.journal(journal))
                .endpoint(CallbackEndpoint.builder("acme", "payment").path("/acme/{order}").methods("POST")
                        .handler(request -> {
                            clock.advance(Duration.ofMillis(3));
                            return request.pathParameter("order").orElseThrow().endsWith("7")
                                    ? CallbackResponse.badRequest("no such order") : CallbackResponse.ok();
                        }).build())
                .build();

        for (int i = 0; i < ORDERS; i++) {
            router.dispatch(request("POST", "/acme/order-" + i));
        }
        router.dispatch(request("POST", "/elsewhere/order-1"));

        assertThat(series(CallbackMetrics.CALLBACKS)).containsOnlyKeys(
                "kind=payment,outcome=accepted,provider=acme",
                "kind=payment,outcome=rejected_input,provider=acme",
                "kind=-,outcome=not_found,provider=-");
        assertThat(registry.get(CallbackMetrics.CALLBACKS).tag("outcome", "accepted").counter().count()).isEqualTo(900);
        assertThat(registry.get(CallbackMetrics.CALLBACKS).tag("outcome", "rejected_input").counter().count())
                .isEqualTo(100);
        Timer latency = registry.get(CallbackMetrics.CALLBACK_LATENCY).tag("outcome", "accepted").timer();
        assertThat(latency.count()).isEqualTo(900);
        assertThat(latency.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(900 * 3.0);
        assertThat(series(CallbackMetrics.CALLBACK_LATENCY)).hasSize(3);
        // the decorated journal still records and answers everything
        assertThat(router.journal().find(JournalQuery.builder().limit(2_000).build())).hasSize(ORDERS + 1);
        assertThat(journal.find(JournalQuery.builder().limit(2_000).build())).hasSize(ORDERS + 1);
    }

    @Test
    void actionRunsAreTimedByTypeAndResultNeverByKey() {
        ManualDelayedActionScheduler manual = new ManualDelayedActionScheduler(clock);
        DelayedActionScheduler scheduler = metrics.scheduler(manual);
        scheduler.register("acme-settle", context -> {
            int n = Integer.parseInt(context.action().key().substring("order-".length()));
            if (n % 10 == 1) {
                throw new IllegalStateException("API down");
            }
            return n % 10 == 2 ? ActionResult.giveUp("cancelled") : n % 10 == 3
                    ? ActionResult.retryAfter(Duration.ofMinutes(1), "no shop order yet") : ActionResult.done();
        });
        for (int i = 0; i < ORDERS; i++) {
            scheduler.schedule(new DelayedAction("acme-settle", "order-" + i, "{}", clock.instant()));
        }

        manual.runDue();

        assertThat(series(CallbackMetrics.ACTION_RUNS)).containsOnlyKeys("result=done,type=acme-settle",
                "result=error,type=acme-settle", "result=give_up,type=acme-settle", "result=retry,type=acme-settle");
        assertThat(registry.get(CallbackMetrics.ACTION_RUNS).tag("result", "done").timer().count()).isEqualTo(700);
        assertThat(registry.get(CallbackMetrics.ACTION_RUNS).tag("result", "error").timer().count()).isEqualTo(100);
        assertThat(registry.get(CallbackMetrics.ACTION_RUNS).tag("result", "give_up").timer().count()).isEqualTo(100);
        assertThat(registry.get(CallbackMetrics.ACTION_RUNS).tag("result", "retry").timer().count()).isEqualTo(100);
    }

    @Test
    void gaugesFollowTheSchedulersHealth() {
        ManualDelayedActionScheduler manual = new ManualDelayedActionScheduler(clock);
        DelayedActionScheduler scheduler = metrics.scheduler(manual);
        scheduler.register("acme-settle", context -> ActionResult.giveUp("never"));
        for (int i = 0; i < 3; i++) {
            scheduler.schedule(new DelayedAction("acme-settle", "order-" + i, "{}", clock.instant().plusSeconds(60)));
        }
        assertThat(gauge(CallbackMetrics.ACTIONS_PENDING)).isEqualTo(3);
        assertThat(gauge(CallbackMetrics.ACTIONS_OVERDUE)).isZero();

        clock.advance(Duration.ofHours(1)); // due long ago, and nothing ran them: overdue
        assertThat(gauge(CallbackMetrics.ACTIONS_OVERDUE)).isEqualTo(3);
        assertThat(gauge(CallbackMetrics.ACTIONS_RUNNING)).isZero();

        manual.runDue();
        assertThat(gauge(CallbackMetrics.ACTIONS_PENDING)).isZero();
        assertThat(gauge(CallbackMetrics.ACTIONS_OVERDUE)).isZero();
        assertThat(gauge(CallbackMetrics.ACTIONS_DEAD)).isEqualTo(3);
    }

    @Test
    void healthIsReadOnceForAllFourGaugesWithinItsMaxAge() {
        int[] reads = {0};
        ManualDelayedActionScheduler manual = new ManualDelayedActionScheduler(clock);
        DelayedActionScheduler counting = (DelayedActionScheduler) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DelayedActionScheduler.class}, (proxy, method, args) -> {
                    if (method.getName().equals("health")) {
                        reads[0]++;
                    }
                    return method.invoke(manual, args);
                });
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        new CallbackMetrics(own).scheduler(counting);

        for (String name : List.of(CallbackMetrics.ACTIONS_PENDING, CallbackMetrics.ACTIONS_OVERDUE,
                CallbackMetrics.ACTIONS_RUNNING, CallbackMetrics.ACTIONS_DEAD)) {
            own.get(name).gauge().value();
        }

        assertThat(reads[0]).isEqualTo(1);
    }

    @Test
    void providerCallsAreTimedByProviderOperationAndStatusClassNeverByOrder() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("7") ? 404 : 200, -1);
            exchange.close();
        });
        server.start();
        try {
            ProviderHttp http = new ProviderHttp("acme", URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/"), Duration.ofSeconds(2), Duration.ofSeconds(2), metrics.apiListener());
            for (int i = 0; i < 200; i++) {
                String order = "order-" + i;
                http.send(http.request("v1/orders/" + order).GET().build(), "acme GET", order);
            }
        } finally {
            server.stop(0);
        }
        ProviderHttp down = new ProviderHttp("acme", URI.create("http://127.0.0.1:1/"), Duration.ofSeconds(2),
                Duration.ofSeconds(2), metrics.apiListener());
        try {
            down.send(down.request("v1/orders/order-x").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    "acme POST", "order-x");
        } catch (ProviderApiException expected) {
            // no answer: status "none"
        }

        assertThat(series(CallbackMetrics.PROVIDER_CALLS)).containsOnlyKeys(
                "operation=GET /v1/orders/{id},provider=acme,status=2xx",
                "operation=GET /v1/orders/{id},provider=acme,status=4xx",
                "operation=POST /v1/orders/{id},provider=acme,status=none");
        assertThat(registry.get(CallbackMetrics.PROVIDER_CALLS).tag("status", "2xx").timer().count()).isEqualTo(180);
        assertThat(registry.get(CallbackMetrics.PROVIDER_CALLS).tag("status", "4xx").timer().count()).isEqualTo(20);
    }

    @Test
    void statusClasses() {
        assertThat(CallbackMetrics.statusClass(0)).isEqualTo("none");
        assertThat(CallbackMetrics.statusClass(204)).isEqualTo("2xx");
        assertThat(CallbackMetrics.statusClass(503)).isEqualTo("5xx");
        assertThat(CallbackMetrics.statusClass(999)).isEqualTo("none");
    }

    private CallbackRequest request(String method, String path) {
        return CallbackRequest.builder().method(method).path(path).receivedAt(clock.instant()).build();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    /** The time series of one meter name, each as its sorted tags joined: {@code a=1,b=2}. */
    private Map<String, Meter> series(String name) {
        return registry.find(name).meters().stream().collect(Collectors.toMap(
                meter -> meter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue()).collect(Collectors.joining(",")),
                meter -> meter, (a, b) -> a, TreeMap::new));
    }
}
