package org.callbackkit.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.junit.jupiter.api.Test;

/** {@link CallbackRequest#fromRawTarget}: what any framework's adapter hands over, checked as the servlet checks it. */
class CallbackRequestFromRawTargetTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final CallbackRouter router = CallbackRouter.builder().journal(journal)
            .endpoint(CallbackEndpoint.builder("acme", "payment").path("/acme/{order}").methods("POST")
                    .handler(request -> CallbackResponse.ok("{\"order\":\"" + request.pathParameter("order").orElseThrow()
                            + "\",\"q\":\"" + request.queryParameter("q").orElse("") + "\"}"))
                    .build())
            .build();

    private static CallbackRequest raw(String target, List<Map.Entry<String, String>> headers) {
        return CallbackRequest.fromRawTarget("post", target, headers, "127.0.0.1",
                "{}".getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void decodesTheQueryStrictlyAndKeepsThePathAsReceived() {
        CallbackRequest request = raw("/acme/a%20b?q=x+y%21&r=1&&r=2&empty=", List.of(
                Map.entry("Content-Type", "application/json"), Map.entry("X-Trace", "1"), Map.entry("x-trace", "2")));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/acme/a%20b");
        assertThat(request.query()).containsExactly(Map.entry("q", List.of("x y!")), Map.entry("r", List.of("1", "2")),
                Map.entry("empty", List.of("")));
        assertThat(request.headers().all("X-TRACE")).containsExactly("1", "2");
        assertThat(request.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(request.receivedAt()).isEqualTo(NOW);
        assertThat(request.bodyAsString()).isEqualTo("{}");
        assertThat(router.dispatch(request).bodyAsString()).isEqualTo("{\"order\":\"a b\",\"q\":\"x y!\"}");
    }

    @Test
    void aTargetWithoutALeadingSlashOrQueryIsAPath() {
        assertThat(raw("acme/1", List.of()).path()).isEqualTo("/acme/1");
        assertThat(raw("/acme/1?", List.of()).query()).isEmpty();
    }

    @Test
    void aMalformedQueryIsAnswered400AndJournaledNotThrown() {
        for (String query : List.of("q=%zz", "q=%C3%28", "=nameless", "q=%4")) {
            CallbackResponse response = router.dispatch(raw("/acme/1?" + query, List.of()));

            assertThat(response.status()).as(query).isEqualTo(400);
            JournalEntry entry = journal.find(JournalQuery.builder().limit(1).build()).get(0);
            assertThat(entry.status()).as(query).isEqualTo(400);
            assertThat(entry.provider()).isEqualTo("acme");
        }
        assertThat(journal.find(JournalQuery.builder().limit(10).build())).hasSize(4);
    }

    @Test
    void theRoutersChecksApplyAsToTheServlet() {
        for (String target : List.of("/acme/x/%2e%2e/1", "/acme%2F1", "/acme/1%00", "/acme/1;jsessionid=x", "/acme//1")) {
            assertThat(router.dispatch(raw(target, List.of())).status()).as(target).isEqualTo(400);
        }
        assertThat(router.dispatch(raw("/acme/1", List.of(Map.entry("X-Note", "a\r\nInjected: 1")))).status())
                .isEqualTo(400);
    }

    @Test
    void theBodyIsCopied() {
        byte[] body = {1, 2};
        CallbackRequest request = CallbackRequest.fromRawTarget("POST", "/acme/1", List.of(), null, body, NOW);
        body[0] = 9;

        assertThat(request.body()).containsExactly(1, 2);
        assertThat(request.remoteAddress()).isEmpty();
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> CallbackRequest.fromRawTarget("POST", null, List.of(), "", new byte[0], NOW))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CallbackRequest.fromRawTarget("POST", "/", List.of(Map.entry("A", "b"), nullPair()),
                "", new byte[0], NOW)).isInstanceOf(NullPointerException.class);
    }

    private static Map.Entry<String, String> nullPair() {
        return new java.util.AbstractMap.SimpleEntry<>("X", null);
    }
}
