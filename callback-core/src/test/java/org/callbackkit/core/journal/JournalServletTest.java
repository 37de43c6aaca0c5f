package org.callbackkit.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The journal pages over real HTTP: off without an authorization check, escaped, filtered, with
 * detail and compare views. callback-examples drives the same pages in a real browser.
 */
class JournalServletTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private static final String TOKEN_HEADER = "X-Ops-Token";

    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal(100);
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private URI base;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private void start(JournalServlet.Builder page) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(page.build()), "/admin/callbacks/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/admin/callbacks/");
    }

    private JournalServlet.Builder authorized() {
        Predicate<HttpServletRequest> check = request -> "letmein".equals(request.getHeader(TOKEN_HEADER));
        return JournalServlet.builder(journal).authorization(check).classifier(StatusClassifier.expert(List.of(
                CallbackEndpoint.builder("klarna", "push").path("/klarna/push/{id}").methods("POST")
                        .retrySchedule(RetrySchedule.ofDelays(Duration.ofMinutes(5))).handler(r -> CallbackResponse.ok())
                        .build())));
    }

    private HttpResponse<String> get(String path, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (withToken) {
            request.header(TOKEN_HEADER, "letmein");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JournalEntry record(String id, int second, String provider, int status, CallbackOutcome outcome, String path,
            Map<String, List<String>> headers, String detail) {
        JournalEntry entry = new JournalEntry(id, T0.plusSeconds(second), provider, "push", outcome, status,
                Duration.ofMillis(12), "44.241.250.59", "POST", path, Map.of(), headers, 0, detail);
        journal.record(entry);
        return entry;
    }

    @Test
    void offWithoutAnAuthorizationCheck() throws Exception {
        record("a1", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1", Map.of(), "");
        start(JournalServlet.builder(journal));

        HttpResponse<String> response = get("", true);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("The callback journal page is off").doesNotContain("/klarna/push/1");
    }

    @Test
    void refusedWhenTheCheckSaysNoOrThrows() throws Exception {
        record("a1", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1", Map.of(), "");
        start(authorized());
        assertThat(get("", false).statusCode()).isEqualTo(403);
        assertThat(get("entry?id=a1", false).body()).doesNotContain("/klarna/push/1");

        stop();
        start(JournalServlet.builder(journal).authorization(request -> {
            throw new IllegalStateException("session store down");
        }));
        assertThat(get("", true).statusCode()).isEqualTo(403);
    }

    @Test
    void entriesAJournalCouldNotKeepAreSaidOnThePage() throws Exception {
        record("a1", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1", Map.of(), "");
        CallbackJournal dropping = new CallbackJournal() {
            @Override
            public void record(JournalEntry entry) {
                journal.record(entry);
            }

            @Override
            public List<JournalEntry> find(JournalQuery query) {
                return journal.find(query);
            }

            @Override
            public long dropped() {
                return 7;
            }
        };
        start(JournalServlet.builder(dropping).authorization(request -> true));

        assertThat(get("", false).body()).contains("<p id=\"dropped\"><strong>7 callbacks are missing from this journal");
        stop();
        start(authorized());
        assertThat(get("", true).body()).as("nothing said when nothing was dropped").doesNotContain("id=\"dropped\"");
    }

    @Test
    void listsColoursAndFilters() throws Exception {
        record("a1", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1", Map.of(), "");
        record("a2", 2, "klarna", 403, CallbackOutcome.REJECTED_AUTH, "/klarna/push/2", Map.of(), "wrong secret");
        record("a3", 3, "blockonomics", 500, CallbackOutcome.FAILED, "/blockonomics/payment", Map.of(), "boom");
        start(authorized());

        HttpResponse<String> all = get("", true);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).startsWith("default-src 'none'"));
        assertThat(all.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(all.body()).contains("3 callbacks, newest first.", "<td class=\"status ok\">200</td>",
                "<td class=\"status bad\">403</td>", "<td class=\"status bad\">500</td>");
        assertThat(all.body().indexOf("data-id=\"a3\"")).isLessThan(all.body().indexOf("data-id=\"a1\""));

        assertThat(get("?provider=klarna", true).body()).contains("2 callbacks").doesNotContain("data-id=\"a3\"");
        assertThat(get("?status=4xx", true).body()).contains("1 callback,", "data-id=\"a2\"");
        assertThat(get("?outcome=FAILED", true).body()).contains("1 callback,", "data-id=\"a3\"");
        assertThat(get("?limit=1", true).body()).contains("1 callback,", "data-id=\"a3\"");
        assertThat(get("?status=6xx", true).statusCode()).isEqualTo(400);
        assertThat(get("?limit=zero", true).statusCode()).isEqualTo(400);
    }

    @Test
    void detailShowsTheRedactedRequestTheAnswerAndTheDiagnosis() throws Exception {
        record("a2", 2, "klarna", 403, CallbackOutcome.REJECTED_AUTH, "/klarna/push/2",
                Map.of("Authorization", List.of("***"), "User-Agent", List.of("APIs-Klarna")), "wrong secret");
        start(authorized());

        String page = get("entry?id=a2", true).body();

        assertThat(page).contains("<th>Header Authorization</th><td><code>***</code>", "APIs-Klarna",
                "<strong class=\"verdict\">REJECTED</strong>", "wrong secret",
                "Klarna retries this callback until 2026-11-21 12:05 UTC");
        assertThat(get("entry?id=nope", true).statusCode()).isEqualTo(404);
    }

    @Test
    void aPaymentWithoutAnOrderIsShownAsNoFailureWhetherAnswered200Or404() throws Exception {
        record("n1", 1, "blockonomics", 200, CallbackOutcome.NO_ORDER, "/blockonomics/payment", Map.of(),
                "no order for BTC address bc1qpersonal / tx t1");
        record("n2", 2, "blockonomics", 404, CallbackOutcome.NO_ORDER, "/blockonomics/payment", Map.of(),
                "no order for this payment");
        start(authorized());

        assertThat(get("entry?id=n1", true).body()).contains("<strong class=\"verdict\">DELIVERED</strong>",
                "<p id=\"no-order\">Not a failure");
        assertThat(get("entry?id=n2", true).body()).as("the path exists: not the NOT_FOUND of a missing endpoint")
                .contains("<strong class=\"verdict\">REJECTED</strong>", "has no order for it",
                        "refusePaymentsWithoutOrder(true)", "<p id=\"no-order\">Not a failure")
                .doesNotContain("does not exist");
        assertThat(get("?outcome=NO_ORDER", true).body()).contains("2 callbacks");
    }

    @Test
    void compareHighlightsWhatDiffers() throws Exception {
        record("ok1", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1",
                Map.of("User-Agent", List.of("APIs-Klarna")), "");
        record("bad2", 2, "klarna", 404, CallbackOutcome.NOT_FOUND, "/en/klarna/push/2",
                Map.of("user-agent", List.of("APIs-Klarna"), "Referer", List.of("https://shop.example/")), "");
        start(authorized());

        String page = get("compare?id=ok1&id=bad2", true).body();

        assertThat(page).contains("<tr class=\"diff\"><td class=\"name\">Path</td><td>/klarna/push/1</td><td>/en/klarna/push/2</td>",
                "<tr class=\"diff\"><td class=\"name\">Status</td><td>200</td><td>404</td>",
                "<tr class=\"diff\"><td class=\"name\">Header referer</td><td>(absent)</td><td>https://shop.example/</td>",
                "<tr class=\"same\"><td class=\"name\">Header user-agent</td><td>APIs-Klarna</td><td>APIs-Klarna</td>",
                "<tr class=\"same\"><td class=\"name\">Method</td>");
        assertThat(get("compare?id=ok1", true).statusCode()).isEqualTo(400);
    }

    @Test
    void escapesEverythingItShows() throws Exception {
        record("x\"><script>alert(1)</script>", 1, "<script>alert('p')</script>", 200, CallbackOutcome.ACCEPTED,
                "/klarna/push/<script>alert(2)</script>", Map.of("X-Evil", List.of("<script>alert(3)</script>")),
                "<img src=x onerror=alert(4)>");
        start(authorized());

        String list = get("", true).body();
        String id = "x\"><script>alert(1)</script>";
        String detail = get("entry?id=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8), true).body();

        assertThat(list + detail).doesNotContain("<script", "<img").contains("&lt;script&gt;alert(2)&lt;/script&gt;",
                "&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;");
        assertThat(detail).contains("&lt;script&gt;alert(3)&lt;/script&gt;", "&lt;img src=x onerror=alert(4)&gt;");
    }

    @Test
    void onlyGetAndOnlyItsPages() throws Exception {
        start(authorized());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base).header(TOKEN_HEADER, "letmein")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("other", true).statusCode()).isEqualTo(404);
        HttpResponse<String> noSlash = http.send(HttpRequest.newBuilder(base.resolve("/admin/callbacks"))
                .header(TOKEN_HEADER, "letmein").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noSlash.statusCode()).isEqualTo(301);
        assertThat(noSlash.headers().firstValue("Location")).contains("/admin/callbacks/");
    }
}
