package org.callbackkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ProviderHttp} tells its listener of every call, in bounded terms. */
class ProviderHttpListenerTest {

    private final List<ProviderApiCall> calls = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", exchange -> {
            int status = exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ProviderHttp http(ProviderApiListener listener) {
        return new ProviderHttp("acme", base, Duration.ofSeconds(2), Duration.ofSeconds(2), listener);
    }

    @Test
    void theOrderKeyInThePathBecomesATemplate() {
        ProviderHttp http = http(calls::add);
        for (int i = 0; i < 3; i++) {
            String order = "order-" + i;
            http.send(http.request("v1/orders/" + order + "/acknowledge?x=" + i).POST(
                    java.net.http.HttpRequest.BodyPublishers.noBody()).build(), "acme POST", order);
        }
        http.send(http.request("v1/orders/abc/missing").GET().build(), "acme GET", "abc");

        assertThat(calls).extracting(ProviderApiCall::operation).containsExactly(
                "POST /v1/orders/{id}/acknowledge", "POST /v1/orders/{id}/acknowledge",
                "POST /v1/orders/{id}/acknowledge", "GET /v1/orders/{id}/missing");
        assertThat(calls).extracting(ProviderApiCall::status).containsExactly(200, 200, 200, 404);
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.provider()).isEqualTo("acme");
            assertThat(call.duration()).isPositive();
        });
    }

    @Test
    void anIdLikeSegmentThatIsNotTheKeyIsAlsoATemplate() {
        ProviderHttp http = http(calls::add);
        http.send(http.request("v1/orders/9f2c1a7e4b6d8e0f1a2b/lines").GET().build(), "acme GET", "other");

        assertThat(calls.get(0).operation()).isEqualTo("GET /v1/orders/{id}/lines");
    }

    @Test
    void aCallWithoutAnAnswerIsToldWithStatusZero() {
        ProviderHttp http = http(calls::add);
        server.stop(0);

        assertThatThrownBy(() -> http.send(http.request("v1/orders/o1").GET().build(), "acme GET", "o1"))
                .isInstanceOf(ProviderApiException.class);

        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.status()).isZero();
            assertThat(call.answered()).isFalse();
            assertThat(call.operation()).isEqualTo("GET /v1/orders/{id}");
        });
    }

    @Test
    void aFailingListenerNeverFailsTheCall() {
        ProviderHttp http = http(call -> {
            throw new IllegalStateException("broken listener");
        });

        assertThat(http.send(http.request("v1/orders/o1").GET().build(), "acme GET", "o1").statusCode()).isEqualTo(200);
    }

    private ProviderHttp recorded(OrderActivityRecorder journal, java.time.Clock clock) {
        return new ProviderHttp("acme", base, Duration.ofSeconds(2), Duration.ofSeconds(2), null, journal, clock);
    }

    /** A clock that moves 5 ms on every reading. */
    private static final class TickingClock extends java.time.Clock {
        private final MutableClock clock = MutableClock.atFixedStart();

        @Override
        public java.time.Instant instant() {
            return clock.advance(Duration.ofMillis(5)).minusMillis(5);
        }

        @Override
        public java.time.ZoneId getZone() {
            return clock.getZone();
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void everyCallIsRecordedUnderItsOrderWithoutQueryOrCredentials() {
        List<OrderActivity> recorded = new CopyOnWriteArrayList<>();
        TickingClock clock = new TickingClock();
        ProviderHttp http = recorded(recorded::add, clock);

        http.send(http.request("v1/orders/o1/acknowledge?token=s3cr3t").header("Authorization", "Bearer s3cr3t")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"card\":\"4111\"}")).build(), "acme POST", "o1");
        http.send(http.request("v1/orders/o2/missing").GET().build(), "acme GET", "o2");

        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(0)).satisfies(call -> {
            assertThat(call.kind()).isEqualTo(OrderActivity.Kind.API_CALL);
            assertThat(call.orderReference()).isEqualTo("o1");
            assertThat(call.at()).isEqualTo(MutableClock.atFixedStart().instant());
            assertThat(call.source()).isEqualTo("acme");
            assertThat(call.subject()).isEqualTo("POST /v1/orders/{id}/acknowledge");
            assertThat(call.result()).isEqualTo("200");
            assertThat(call.error()).isEmpty();
            assertThat(call.duration()).as("from sending to the answer, on the injected clock").isEqualTo(Duration.ofMillis(5));
            assertThat(call.toString()).doesNotContain("s3cr3t", "4111", "token");
        });
        assertThat(recorded.get(1).orderReference()).isEqualTo("o2");
        assertThat(recorded.get(1).result()).isEqualTo("404");
        assertThat(recorded.get(1).at()).isEqualTo(MutableClock.atFixedStart().instant().plusMillis(10));
    }

    @Test
    void aCallWithoutAnAnswerIsRecordedAsFailedWithWhy() {
        List<OrderActivity> recorded = new CopyOnWriteArrayList<>();
        ProviderHttp http = recorded(recorded::add, MutableClock.atFixedStart());
        server.stop(0);

        assertThatThrownBy(() -> http.send(http.request("v1/orders/o1").GET().build(), "acme GET /v1/orders/o1", "o1"))
                .isInstanceOf(ProviderApiException.class);

        assertThat(recorded).singleElement().satisfies(call -> {
            assertThat(call.result()).isEqualTo("failed");
            assertThat(call.error()).startsWith("failed: ").contains("ConnectException").doesNotContain("acme GET");
        });
    }

    @Test
    void aJournalThatKeepsNoActivityNeverFailsTheCallAndIsAskedOnce() {
        List<OrderActivity> asked = new CopyOnWriteArrayList<>();
        ProviderHttp http = recorded(activity -> {
            asked.add(activity);
            throw new UnsupportedOperationException("keeps no order activity");
        }, MutableClock.atFixedStart());

        for (int i = 0; i < 3; i++) {
            assertThat(http.send(http.request("v1/orders/o1").GET().build(), "acme GET", "o1").statusCode()).isEqualTo(200);
        }
        assertThat(asked).hasSize(1);
    }
}
