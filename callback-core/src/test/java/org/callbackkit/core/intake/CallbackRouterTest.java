package org.callbackkit.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class CallbackRouterTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal(100);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<CallbackRequest> seen = new AtomicReference<>();

    private CallbackRouter router(CallbackHandler handler) {
        return CallbackRouter.builder()
                .clock(clock)
                .journal(journal)
                .maxBodyBytes(1024)
                .endpoint(CallbackEndpoint.builder("shop", "paid")
                        .path("/shop/paid/{orderId}")
                        .methods("POST")
                        .contentTypes("application/json")
                        .redact("X-Shop-Pin")
                        .handler(request -> {
                            calls.incrementAndGet();
                            seen.set(request);
                            return handler.handle(request);
                        })
                        .build())
                .endpoint(CallbackEndpoint.builder("shop", "ping")
                        .path("/shop/ping")
                        .methods("GET", "HEAD")
                        .handler(request -> CallbackResponse.ok())
                        .build())
                .build();
    }

    private CallbackRouter okRouter() {
        return router(request -> CallbackResponse.ok().withDetail("order " + request.pathParameter("orderId").orElseThrow()));
    }

    private JournalEntry onlyEntry() {
        List<JournalEntry> entries = journal.find(JournalQuery.all());
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    @Test
    void acceptsAndJournalsWithPathParameters() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.postJson("/shop/paid/A%20B%2B1", "{}").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(seen.get().pathParameter("orderId")).contains("A B+1");
        JournalEntry entry = onlyEntry();
        assertThat(entry.provider()).isEqualTo("shop");
        assertThat(entry.kind()).isEqualTo("paid");
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
        assertThat(entry.status()).isEqualTo(200);
        assertThat(entry.detail()).isEqualTo("order A B+1");
        assertThat(entry.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(entry.bodyBytes()).isEqualTo(2);
    }

    @Test
    void journalsTheOrderReferencesOfTheHandlerAndOfTheDeclaredPathParameterEvenWhenRefused() {
        CallbackRouter router = CallbackRouter.builder().clock(clock).journal(journal)
                .endpoint(CallbackEndpoint.builder("shop", "paid").path("/shop/paid/{orderId}").methods("POST")
                        .orderReferenceParameter("orderId")
                        .handler(request -> {
                            if (request.headers().first("X-Pin").isEmpty()) {
                                throw new org.callbackkit.core.UnauthenticatedCallbackException("no pin");
                            }
                            return CallbackResponse.ok().withOrderReference("tx-9").withOrderReference(" tx-9 ");
                        })
                        .build())
                .build();

        router.dispatch(CallbackRequests.postJson("/shop/paid/4711", "{}").build());
        router.dispatch(CallbackRequests.postJson("/shop/paid/4711", "{}").header("X-Pin", "1").build());

        assertThat(journal.find(JournalQuery.builder().orderReference("4711").build()))
                .extracting(JournalEntry::status, JournalEntry::orderReferences).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(200, List.of("tx-9", "4711")),
                        org.assertj.core.groups.Tuple.tuple(403, List.of("4711")));
    }

    @Test
    void journalsTheDeclaredQueryParametersAsOrderReferencesOfARefusedCallback() {
        CallbackRouter router = CallbackRouter.builder().clock(clock).journal(journal)
                .endpoint(CallbackEndpoint.builder("blockonomics", "payment").path("/blockonomics/payment").methods("GET")
                        .orderReferenceParameter("addr").orderReferenceParameter("txid")
                        .handler(request -> {
                            throw new org.callbackkit.core.UnauthenticatedCallbackException("wrong secret");
                        })
                        .build())
                .build();

        router.dispatch(CallbackRequest.builder().method("GET").path("/blockonomics/payment")
                .addQueryParameter("addr", "bc1qshop").addQueryParameter("txid", "tx-1").addQueryParameter("secret", "wrong")
                .receivedAt(clock.instant()).build());
        router.dispatch(CallbackRequest.builder().method("GET").path("/blockonomics/payment")
                .addQueryParameter("txid", "x".repeat(201)).receivedAt(clock.instant()).build());

        assertThat(journal.find(JournalQuery.builder().orderReference("bc1qshop").build()))
                .extracting(JournalEntry::status, JournalEntry::orderReferences)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(403, List.of("bc1qshop", "tx-1")));
        assertThat(journal.find(JournalQuery.all()).get(0).orderReferences()).as("too long to be a reference").isEmpty();
    }

    @Test
    void reDispatchesAKeptRequestAsItArrivedOnlyWithinTheRetention() {
        java.util.Set<String> orders = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CallbackHandler handler = request -> {
            String pin = request.headers().first("X-Shop-Pin").orElse("");
            String order = request.pathParameter("orderId").orElseThrow();
            return !pin.equals("1234") ? CallbackResponse.forbidden("wrong pin")
                    : orders.contains(order) ? CallbackResponse.ok().withDetail("paid " + order + " " + request.bodyAsString())
                    : CallbackResponse.notFound("no order " + order);
        };
        CallbackRouter keeping = CallbackRouter.builder().clock(clock).journal(journal)
                .keepBodies(Duration.ofHours(1), 10)
                .endpoint(CallbackEndpoint.builder("shop", "paid").path("/shop/paid/{orderId}").methods("POST")
                        .redact("X-Shop-Pin").handler(handler).build())
                .build();
        keeping.dispatch(CallbackRequests.postJson("/shop/paid/7", "{\"a\":1}").header("X-Shop-Pin", "1234").build());
        String refused = journal.find(JournalQuery.all()).get(0).id();
        assertThat(keeping.keptUntil(refused)).contains(clock.instant().plus(Duration.ofHours(1)));

        orders.add("7");
        clock.advance(Duration.ofMinutes(59));
        assertThat(keeping.redispatch(refused)).hasValueSatisfying(answer -> assertThat(answer.status()).isEqualTo(200));

        JournalEntry again = journal.find(JournalQuery.all()).get(0);
        assertThat(again.detail()).isEqualTo("paid 7 {\"a\":1}");
        assertThat(again.receivedAt()).isEqualTo(clock.instant());
        assertThat(again.headers()).containsEntry(CallbackRouter.REDISPATCH_HEADER, List.of(refused))
                .containsEntry("X-Shop-Pin", List.of("***"));
        clock.advance(Duration.ofMinutes(2));
        assertThat(keeping.redispatch(refused)).as("past the retention").isEmpty();
        assertThat(keeping.keptUntil(refused)).isEmpty();
        assertThat(okRouter().redispatch(again.id())).as("a router that keeps nothing").isEmpty();
        assertThat(okRouter().keepsBodies()).isFalse();
        assertThatThrownBy(() -> CallbackRouter.builder().keepBodies(Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void journalsTheAnswersHeadersAndTheStartOfANon2xxBodyMasked() {
        CallbackRouter router = router(request -> request.pathParameter("orderId").orElseThrow().equals("ok")
                ? CallbackResponse.ok("{\"shopper\":\"Anna Andersson, Storgatan 1\"}")
                : CallbackResponse.json(409, "{\"error\":\"conflict\",\"token\":\"tok-123\",\"note\":\""
                        + "x".repeat(2000) + "\"}").withHeader("Set-Cookie", "session=abc").withHeader("Retry-After", "5"));

        router.dispatch(CallbackRequests.postJson("/shop/paid/no", "{}").build());
        router.dispatch(CallbackRequests.postJson("/shop/paid/ok", "{}").build());

        List<JournalEntry> entries = journal.find(JournalQuery.all());
        JournalEntry.Answer refused = entries.get(1).answer();
        assertThat(refused.headers()).containsEntry("Set-Cookie", List.of("***")).containsEntry("Retry-After", List.of("5"));
        assertThat(refused.bodyStart()).startsWith("{\"error\":\"conflict\",\"token\":\"***\",\"note\":\"xxx")
                .hasSize(JournalEntry.Answer.BODY_START_CHARS).doesNotContain("tok-123");
        assertThat(refused.bodyBytes()).isGreaterThan(2000);
        JournalEntry.Answer accepted = entries.get(0).answer();
        assertThat(accepted.bodyStart()).as("a 2xx body may echo the shopper's order").isEmpty();
        assertThat(accepted.bodyBytes()).isEqualTo(41);
        assertThat(accepted.known()).isTrue();
    }

    @Test
    void toleratesOneTrailingSlash() {
        assertThat(okRouter().dispatch(CallbackRequests.postJson("/shop/paid/7/", "{}").build()).status()).isEqualTo(200);
        assertThat(seen.get().pathParameter("orderId")).contains("7");
    }

    @Test
    void unknownPathIs404AndJournaledUnmatched() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.postJson("/shop/refund/1", "{}").build());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyAsString()).startsWith("{\"error\":");
        assertThat(calls).hasValue(0);
        JournalEntry entry = onlyEntry();
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.NOT_FOUND);
        assertThat(entry.provider()).isEqualTo(JournalEntry.UNMATCHED);
        assertThat(entry.path()).isEqualTo("/shop/refund/1");
    }

    @Test
    void wrongMethodIs405WithAllowAndJournaledAgainstTheEndpoint() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.post("/shop/ping").build());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().first("allow")).contains("GET, HEAD");
        JournalEntry entry = onlyEntry();
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertThat(entry.kind()).isEqualTo("ping");
    }

    @Test
    void oversizedBodyIs413() {
        byte[] big = new byte[1025];
        CallbackResponse response = okRouter().dispatch(CallbackRequests.post("/shop/paid/1")
                .header("Content-Type", "application/json").body(big).build());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().first("Connection")).contains("close");
        assertThat(calls).hasValue(0);
        assertThat(onlyEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
    }

    @Test
    void declaredLengthOverTheLimitIs413EvenWithoutTheBody() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.post("/shop/paid/1")
                .header("Content-Type", "application/json").header("Content-Length", "5000000").build());

        assertThat(response.status()).isEqualTo(413);
        assertThat(calls).hasValue(0);
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.post("/shop/paid/1")
                .header("Content-Type", "application/json").body(new byte[1024]).build());
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void wrongOrMissingContentTypeIs415() {
        CallbackRouter router = okRouter();
        assertThat(router.dispatch(CallbackRequests.post("/shop/paid/1").header("Content-Type", "text/plain").build())
                .status()).isEqualTo(415);
        assertThat(router.dispatch(CallbackRequests.post("/shop/paid/1").build()).status()).isEqualTo(415);
        assertThat(router.dispatch(CallbackRequests.post("/shop/paid/1")
                .header("content-type", "Application/JSON; charset=utf-8").build()).status()).isEqualTo(200);
        assertThat(calls).hasValue(1);
    }

    @Test
    void invalidInputFromTheHandlerIs400WithItsReason() {
        CallbackResponse response = router(request -> {
            throw new InvalidCallbackException("amount is not a number");
        }).dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"amount is not a number\"}");
        assertThat(onlyEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
    }

    @Test
    void failedAuthenticationIs403() {
        CallbackResponse response = router(request -> {
            throw new UnauthenticatedCallbackException("wrong secret");
        }).dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());

        assertThat(response.status()).isEqualTo(403);
        assertThat(onlyEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_AUTH);
    }

    @Test
    void temporarilyUnavailableIs503WithRetryAfterAndNoCauseInTheAnswer() {
        CallbackResponse response = router(request -> {
            throw new TemporarilyUnavailableException("could not store the action", Duration.ofSeconds(30),
                    new IllegalStateException("connection refused to db password=hunter2"));
        }).dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers().first("Retry-After")).contains("30");
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"temporarily unavailable\"}");
        JournalEntry entry = onlyEntry();
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.FAILED);
        assertThat(entry.detail()).isEqualTo("could not store the action");
    }

    @Test
    void handlerCrashIs500WithAnIdAndNoStackTrace() {
        CallbackResponse response = router(request -> {
            throw new IllegalStateException("database password=hunter2 refused");
        }).dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());

        assertThat(response.status()).isEqualTo(500);
        JournalEntry entry = onlyEntry();
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"internal error\",\"id\":\"" + entry.id() + "\"}");
        assertThat(response.bodyAsString()).doesNotContain("IllegalStateException", "hunter2", "at org.");
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.FAILED);
        assertThat(entry.detail()).contains("IllegalStateException").doesNotContain("hunter2");
    }

    @Test
    void anErrorFromTheHandlerIsStillA500WithAJournalEntry() {
        CallbackResponse response = router(request -> {
            throw new AssertionError("secret=xyzzy leaked into a message");
        }).dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyAsString()).doesNotContain("xyzzy", "AssertionError"); // not hex: the id cannot contain it
        assertThat(onlyEntry().outcome()).isEqualTo(CallbackOutcome.FAILED);
    }

    @Test
    void malformedEncodingInAPathVariableIs400() {
        CallbackRouter router = okRouter();
        assertThat(router.dispatch(CallbackRequests.postJson("/shop/paid/%zz", "{}").build()).status()).isEqualTo(400);
        assertThat(router.dispatch(CallbackRequests.postJson("/shop/paid/%C3%28", "{}").build()).status()).isEqualTo(400);
        assertThat(calls).hasValue(0);
        assertThat(journal.find(JournalQuery.all())).hasSize(2)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
    }

    @Test
    void handlerReturningNullIs500() {
        CallbackResponse response = router(request -> null).dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());
        assertThat(response.status()).isEqualTo(500);
    }

    @Test
    void pathTricksAre400AndNeverReachTheHandler() {
        CallbackRouter router = okRouter();
        for (String path : List.of("/shop/paid/../paid/1", "/shop/paid/%2e%2e/1", "/shop/paid%2F1", "/shop//paid/1",
                "/shop/paid/1%00", "/shop/paid/.", "/shop/paid/1;jsessionid=x")) {
            assertThat(router.dispatch(CallbackRequests.postJson(path, "{}").build()).status()).as(path).isEqualTo(400);
        }
        assertThat(calls).hasValue(0);
        assertThat(journal.find(JournalQuery.all())).hasSize(7)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
    }

    @Test
    void aQueryParameterFloodIs400AndNeverReachesTheHandler() {
        CallbackRouter router = okRouter();
        CallbackRequest.Builder flood = CallbackRequests.postJson("/shop/paid/1", "{}");
        for (int i = 0; i <= CallbackRouter.DEFAULT_MAX_QUERY_PARAMETERS; i++) {
            flood.addQueryParameter("p", Integer.toString(i)); // repeats count too
        }
        CallbackRequest.Builder atLimit = CallbackRequests.postJson("/shop/paid/1", "{}");
        for (int i = 0; i < CallbackRouter.DEFAULT_MAX_QUERY_PARAMETERS; i++) {
            atLimit.addQueryParameter("p" + i, "");
        }

        CallbackResponse response = router.dispatch(flood.build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"more than 100 query parameters\"}");
        assertThat(calls).hasValue(0);
        assertThat(router.dispatch(atLimit.build()).status()).isEqualTo(200);
    }

    @Test
    void controlCharactersInAHeaderAre400() {
        CallbackRouter router = okRouter();
        for (String value : List.of("a\r\nX-Injected: 1", "a\nb", "a\u0000b", "a\u007fb")) {
            CallbackResponse response = router.dispatch(
                    CallbackRequests.postJson("/shop/paid/1", "{}").header("X-Note", value).build());
            assertThat(response.status()).as(value).isEqualTo(400);
            assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"control characters in a header\"}");
        }
        assertThat(calls).hasValue(0);
        assertThat(journal.find(JournalQuery.all())).hasSize(4)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
        assertThat(router.dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").header("X-Note", "a\tb").build())
                .status()).isEqualTo(200);
    }

    @Test
    void duplicateOutcomeIsJournaledAsSaid() {
        okRouter();
        CallbackResponse response = router(request -> CallbackResponse.duplicate())
                .dispatch(CallbackRequests.postJson("/shop/paid/1", "{}").build());
        assertThat(response.status()).isEqualTo(200);
        assertThat(onlyEntry().outcome()).isEqualTo(CallbackOutcome.DUPLICATE);
    }

    @Test
    void journalMasksSecretLikeValuesAndTheEndpointsOwnNames() {
        okRouter().dispatch(CallbackRequests.postJson("/shop/paid/1", "{}")
                .addQueryParameter("secret", "s3cr3t")
                .addQueryParameter("api_key", "k3y")
                .addQueryParameter("txid", "abc")
                .header("Authorization", "Basic dXNlcjpwYXNz")
                .header("X-Shop-Pin", "1234")
                .header("Cookie", "session=zzz")
                .header("User-Agent", "APIs-Klarna")
                .build());

        JournalEntry entry = onlyEntry();
        assertThat(entry.query()).containsEntry("secret", List.of("***")).containsEntry("api_key", List.of("***"))
                .containsEntry("txid", List.of("abc"));
        assertThat(entry.headers()).containsEntry("Authorization", List.of("***"))
                .containsEntry("X-Shop-Pin", List.of("***")).containsEntry("Cookie", List.of("***"))
                .containsEntry("User-Agent", List.of("APIs-Klarna"));
        assertThat(entry.toString()).doesNotContain("s3cr3t", "k3y", "dXNlcjpwYXNz", "1234", "zzz");
    }

    @Test
    void anEndpointsOwnNamesAreMaskedAlsoWhenTheRequestMissesIt() {
        CallbackRouter router = okRouter();
        router.dispatch(CallbackRequests.postJson("/shop/paid/1/extra", "{}").header("X-Shop-Pin", "1234").build());
        router.dispatch(CallbackRequests.get("/shop/ping").header("X-Shop-Pin", "5678").build());

        assertThat(journal.find(JournalQuery.all())).hasSize(2)
                .allSatisfy(entry -> assertThat(entry.headers()).containsEntry("X-Shop-Pin", List.of("***")));
    }

    @Test
    void latencyIsMeasuredOnTheInjectedClock() {
        router(request -> {
            clock.advance(Duration.ofMillis(37));
            return CallbackResponse.ok();
        }).dispatch(CallbackRequests.request("POST", "/shop/paid/1", clock)
                .header("Content-Type", "application/json").build());
        assertThat(onlyEntry().latency()).isEqualTo(Duration.ofMillis(37));
    }

    @Test
    void aFailingJournalDoesNotChangeTheAnswer() {
        CallbackRouter router = CallbackRouter.builder()
                .journal(new CallbackJournal() {
                    @Override
                    public void record(JournalEntry entry) {
                        throw new IllegalStateException("disk full");
                    }

                    @Override
                    public List<JournalEntry> find(JournalQuery query) {
                        return List.of();
                    }
                })
                .endpoint(CallbackEndpoint.builder("p", "k").path("/p").methods("POST")
                        .handler(r -> CallbackResponse.ok()).build())
                .build();
        assertThat(router.dispatch(CallbackRequests.post("/p").build()).status()).isEqualTo(200);
    }

    @Test
    void rejectJournalsRequestsAnAdapterCouldNotRead() {
        CallbackResponse response = okRouter().reject(CallbackRequests.post("/shop/paid/1").build(), 400, "body unreadable");
        assertThat(response.status()).isEqualTo(400);
        JournalEntry entry = onlyEntry();
        assertThat(entry.kind()).isEqualTo("paid");
        assertThat(entry.detail()).isEqualTo("body unreadable");
        assertThat(calls).hasValue(0);
    }

    @Test
    void endpointsAnsweringTheSamePathAndMethodAreRefusedAtBuild() {
        CallbackEndpoint a = CallbackEndpoint.builder("a", "x").path("/p/{id}").methods("POST")
                .handler(r -> CallbackResponse.ok()).build();
        CallbackEndpoint b = CallbackEndpoint.builder("b", "y").path("/p/fixed").methods("POST", "GET")
                .handler(r -> CallbackResponse.ok()).build();
        CallbackEndpoint c = CallbackEndpoint.builder("c", "z").path("/p/{id}").methods("GET")
                .handler(r -> CallbackResponse.ok()).build();

        assertThatThrownBy(() -> CallbackRouter.builder().endpoint(a).endpoint(b).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a/x").hasMessageContaining("b/y");
        assertThat(CallbackRouter.builder().endpoint(a).endpoint(c).build().endpoints()).hasSize(2);
        assertThatThrownBy(() -> CallbackRouter.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void endpointBuilderValidatesAtOnceAndAtBuild() {
        assertThatThrownBy(() -> CallbackEndpoint.builder(" ", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackEndpoint.builder("p", "k").path("no-slash"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackEndpoint.builder("p", "k").path("/a/{b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackEndpoint.builder("p", "k").path("/a").methods("POST").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");
        assertThatThrownBy(() -> CallbackEndpoint.builder("p", "k").path("/a").handler(r -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("method");
    }

    @Test
    void rawBodyBytesReachTheHandlerUnchanged() {
        byte[] body = "{\"name\":\"Åsa Öberg\"}\r\n\u0000\u00ff".getBytes(StandardCharsets.UTF_8);
        okRouter().dispatch(CallbackRequests.post("/shop/paid/1").header("Content-Type", "application/json").body(body).build());
        assertThat(seen.get().body()).isEqualTo(body);
    }

    @Test
    void aProbePassesEveryCheckThenIsAnsweredByTheRouterNotTheHandler() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.postJson("/shop/paid/probe", "{\"probe\":true}")
                .header(CallbackRouter.PROBE_HEADER, "run-42").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).contains("application/json");
        assertThat(response.bodyAsString())
                .isEqualTo("{\"probe\":\"ok\",\"provider\":\"shop\",\"kind\":\"paid\",\"id\":\"run-42\"}");
        assertThat(calls).hasValue(0);
        JournalEntry entry = onlyEntry();
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
        assertThat(entry.kind()).isEqualTo("paid");
        assertThat(entry.detail()).startsWith("probe (X-Callback-Kit-Probe)").contains("handler was not called");
    }

    @Test
    void aProbeMeetsTheSameRefusalsAsAProvidersRequest() {
        CallbackRouter router = okRouter();
        String probe = CallbackRouter.PROBE_HEADER;
        assertThat(router.dispatch(CallbackRequests.post("/shop/paid/1").header(probe, "x")
                .header("Content-Type", "text/plain").build()).status()).isEqualTo(415);
        assertThat(router.dispatch(CallbackRequests.get("/shop/paid/1").header(probe, "x").build()).status())
                .isEqualTo(405);
        assertThat(router.dispatch(CallbackRequests.postJson("/shop/nothing", "{}").header(probe, "x").build())
                .status()).isEqualTo(404);
        assertThat(router.dispatch(CallbackRequests.post("/shop/paid/1").header(probe, "x")
                .header("Content-Type", "application/json").body(new byte[1025]).build()).status()).isEqualTo(413);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aProbeIdThatIsNotAShortTokenIsNotEchoed() {
        CallbackResponse response = okRouter().dispatch(CallbackRequests.get("/shop/ping")
                .header(CallbackRouter.PROBE_HEADER, "<script>alert(1)</script>").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyAsString()).endsWith("\"id\":\"\"}").doesNotContain("script");
    }
}
