package org.callbackkit.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
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

    /** JournalPageBrowserTest once saw a client's next request on the connection of an unauthorized post fail with no answer. */
    @Test
    void aRefusedPostWhoseBodyIsNotReadEndsItsConnection() throws Exception {
        start(authorized());
        HttpResponse<String> unauthorized = http.send(HttpRequest.newBuilder(base.resolve("run"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("type=t&key=k&csrf=x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorized.statusCode()).isEqualTo(403);
        assertThat(unauthorized.headers().firstValue("Connection")).contains("close");

        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(base).header(TOKEN_HEADER, "letmein")
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Connection")).contains("close");
        assertThat(get("", true).headers().firstValue("Connection")).as("a page read keeps its connection").isEmpty();
    }

    @Test
    void entriesAJournalCouldNotKeepAreSaidOnThePage() throws Exception {
        record("a1", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1", Map.of(), "");
        start(JournalServlet.builder(writtenBefore(7)).authorization(request -> true));

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
                assertThat(csp).startsWith("default-src 'none'").contains("style-src 'sha256-")
                        .doesNotContain("unsafe-inline"));
        assertThat(all.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(all.body()).contains("3 callbacks, newest first.", "<td class=\"status ok\">200</td>",
                "<td class=\"status bad\">403</td>", "<td class=\"status bad\">500</td>");
        assertThat(all.body().indexOf("data-id=\"a3\"")).isLessThan(all.body().indexOf("data-id=\"a1\""));

        assertThat(get("?provider=klarna", true).body()).contains("2 callbacks").doesNotContain("data-id=\"a3\"");
        assertThat(get("?status=4xx", true).body()).contains("1 callback,", "data-id=\"a2\"");
        assertThat(get("?outcome=FAILED", true).body()).contains("1 callback,", "data-id=\"a3\"");
        assertThat(get("?limit=1", true).body()).contains("This page shows 1 callback, newest first; older ones are on"
                + " the next page.", "data-id=\"a3\"", "id=\"next\"");
        assertThat(get("?status=6xx", true).statusCode()).isEqualTo(400);
        assertThat(get("?limit=zero", true).statusCode()).isEqualTo(400);
    }

    @Test
    void pagesByCursorUntilTheLastPageAndSaysSoWithoutCallingTheLimitACount() throws Exception {
        for (int i = 0; i < 5; i++) {
            record("p" + i, i, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/" + i, Map.of(), "");
        }
        start(authorized());

        String first = get("?limit=2&provider=klarna", true).body();
        assertThat(first).contains("data-id=\"p4\"", "data-id=\"p3\"", "This page shows 2 callbacks")
                .doesNotContain("data-id=\"p2\"", "id=\"first\"");
        String next = first.replaceAll("(?s).*<a id=\"next\" rel=\"next\" href=\"\\./([^\"]*)\".*", "$1").replace("&amp;", "&");
        assertThat(next).contains("provider=klarna", "limit=2", "after=");
        String second = get(next, true).body();
        assertThat(second).contains("data-id=\"p2\"", "data-id=\"p1\"", "id=\"first\"").doesNotContain("data-id=\"p3\"");
        String last = get(second.replaceAll("(?s).*<a id=\"next\" rel=\"next\" href=\"\\./([^\"]*)\".*", "$1")
                .replace("&amp;", "&"), true).body();
        assertThat(last).contains("data-id=\"p0\"", "This page shows 1 callback, newest first; no older ones.")
                .doesNotContain("id=\"next\"");
        assertThat(get("?after=garbage", true).statusCode()).isEqualTo(400);
    }

    @Test
    void hidesProbesUnlessAskedFiltersByTimeAndShowsTheLocalZone() throws Exception {
        record("real", 1, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/1", Map.of(), "");
        record("probe", 2, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/2",
                Map.of("X-Callback-Kit-Probe", List.of("doctor-1")), "probe (X-Callback-Kit-Probe)");
        record("later", 3600, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/3", Map.of(), "");
        start(authorized().zone(java.time.ZoneId.of("Europe/Stockholm")));

        assertThat(get("", true).body()).contains("2 callbacks", "The doctor's probes are hidden", "data-id=\"real\"")
                .doesNotContain("data-id=\"probe\"");
        assertThat(get("?probes=1", true).body()).contains("3 callbacks", "data-id=\"probe\"", "(probe)");
        assertThat(get("?from=2026-11-21T13:30&to=2026-11-21T14:30", true).body()).as("Stockholm is UTC+1 in November")
                .contains("1 callback,", "data-id=\"later\"");
        assertThat(get("?from=2026-11-21T12:30:00Z", true).body()).contains("1 callback,", "data-id=\"later\"");
        assertThat(get("?from=yesterday", true).statusCode()).isEqualTo(400);
        assertThat(get("", true).body()).contains("<time datetime=\"2026-11-21T13:00:00Z\">2026-11-21 13:00:00.000</time>"
                + "<span class=\"local\">2026-11-21 14:00:00 Europe/Stockholm</span>");
    }

    @Test
    void findsAnOrderByReferenceWithItsCallbacksAndActions() throws Exception {
        journal.record(new JournalEntry("b1", T0.plusSeconds(1), "blockonomics", "payment", CallbackOutcome.ACCEPTED, 200,
                Duration.ZERO, "", "GET", "/blockonomics/payment", Map.of(), Map.of(), 0, "order 4711: paid",
                List.of("4711", "bc1qaddr", "tx9")));
        record("other", 2, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/2", Map.of(), "");
        MutableClock clock = new MutableClock(T0.plusSeconds(10));
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        scheduler.register("blockonomics.settle", context -> ActionResult.giveUp("order missing"));
        scheduler.schedule(new DelayedAction("blockonomics.settle", "4711", "{}", T0));
        scheduler.schedule(new DelayedAction("klarna.push", "other", "{}", T0.plusSeconds(3600)));
        scheduler.runDue();
        start(authorized().scheduler(scheduler).clock(clock));

        assertThat(get("", true).body()).contains("<a class=\"order\" href=\"order?ref=bc1qaddr\">bc1qaddr</a>");
        assertThat(get("?order=tx9", true).body()).contains("1 callback,", "data-id=\"b1\"");
        String order = get("order?ref=4711", true).body();
        assertThat(order).contains("<h1>Order 4711</h1>", "data-id=\"b1\"", "order missing", "class=\"action dead\"",
                "Run now").doesNotContain("data-id=\"other\"", "data-key=\"other\"");
        assertThat(get("order?ref=nothing", true).body()).contains("No callback names this order.");
        String work = get("work", true).body();
        assertThat(work).contains("1 waiting, 0 overdue, 0 running, 1 dead", "<h3>blockonomics.settle</h3>",
                "<h3>klarna.push</h3>", "data-key=\"other\"");
        String api = get("api/work", true).body();
        assertThat(api).contains("\"dead\":[{\"type\":\"blockonomics.settle\",\"key\":\"4711\"");
        scheduler.close();
    }

    @Test
    void theOrderViewShowsTheOrdersApiCallsAndActionRunsEscapedAndAsJson() throws Exception {
        journal.recordActivity(OrderActivity.apiCall("4711", T0.plusSeconds(1), "klarna",
                "GET /ordermanagement/v1/orders/{id}", 0, "timed out after 10000 ms <b>", Duration.ofSeconds(10)));
        journal.recordActivity(OrderActivity.actionRun("klarna.push", "4711", T0, 1, OrderActivity.ActionRunResult.FAILED,
                "no shop order <script>x</script>", Duration.ofMillis(12), T0.plusSeconds(60)));
        journal.recordActivity(OrderActivity.actionRun("klarna.push", "4711", T0.plusSeconds(60), 2,
                OrderActivity.ActionRunResult.DONE, "", Duration.ofMillis(8), null));
        journal.recordActivity(OrderActivity.apiCall("4711", T0.plusSeconds(61), "klarna",
                "POST /ordermanagement/v1/orders/{id}/acknowledge", 204, null, Duration.ofMillis(30)));
        journal.recordActivity(OrderActivity.apiCall("other", T0.plusSeconds(62), "klarna",
                "POST /ordermanagement/v1/orders/{id}/acknowledge", 500, null, Duration.ofMillis(30)));
        start(authorized());

        String order = get("order?ref=4711", true).body();
        assertThat(order).doesNotContain("not recorded by Callback Kit", "<b>", "<script>x")
                .contains("Last action run 2026-11-21 12:01:00.000 UTC: done.");
        assertThat(section(order, "action-runs")).containsSubsequence(
                "<tr class=\"action-run done\">", "klarna.push", "<td>2</td>", "done", "8 ms",
                "<tr class=\"action-run failed\">", "<td>1</td>", "no shop order &lt;script&gt;x&lt;/script&gt;",
                "<time datetime=\"2026-11-21T12:01:00Z\">");
        assertThat(section(order, "api-calls")).containsSubsequence(
                "POST /ordermanagement/v1/orders/{id}/acknowledge", "<td class=\"status ok\">204</td>", "30 ms",
                "GET /ordermanagement/v1/orders/{id}", "<td class=\"status bad\">failed</td>", "10000 ms",
                "timed out after 10000 ms &lt;b&gt;").doesNotContain("500");

        JsonNode json = new ObjectMapper().readTree(get("api/order?ref=4711", true).body());
        assertThat(json.get("activityKept").asBoolean()).isTrue();
        assertThat(json.get("apiCalls")).hasSize(2);
        assertThat(json.get("apiCalls").get(0).get("status").asInt()).isEqualTo(204);
        assertThat(json.get("apiCalls").get(1).get("failure").asText()).isEqualTo("timed out after 10000 ms <b>");
        assertThat(json.get("actionRuns").get(1).get("nextAttempt").asText()).isEqualTo("2026-11-21T12:01:00Z");
        assertThat(json.get("actionRuns").get(0).get("result").asText()).isEqualTo("done");
        assertThat(get("api/order", true).statusCode()).isEqualTo(400);
    }

    @Test
    void aJournalThatKeepsNoActivitySaysSoOnTheOrderView() throws Exception {
        start(JournalServlet.builder(writtenBefore(0)).authorization(request -> true));

        assertThat(get("order?ref=4711", false).body()).contains("<p class=\"muted\" id=\"no-activity\">This journal (")
                .contains("keeps no provider API calls or action runs");
        assertThat(get("api/order?ref=4711", false).body()).contains("\"activityKept\":false");
    }

    /**
     * A journal over {@link #journal} as one written before order activity was kept (it keeps none)
     * that could not keep {@code dropped} entries.
     */
    private CallbackJournal writtenBefore(long dropped) {
        return new CallbackJournal() {
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
                return dropped;
            }
        };
    }

    /** The table with {@code id} in {@code html}. */
    private static String section(String html, String id) {
        int start = html.indexOf("<table id=\"" + id + "\">");
        assertThat(start).as("a table " + id).isNotNegative();
        return html.substring(start, html.indexOf("</table>", start));
    }

    @Test
    void runNowIsAPostWithTheTokenOfThisBrowserAndIsJournaledWithWhoDidIt() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        scheduler.register("ecster.order", context -> runs.incrementAndGet() == 1
                ? ActionResult.giveUp("no shop order yet") : ActionResult.done());
        scheduler.schedule(new DelayedAction("ecster.order", "E-1", "{}", T0));
        scheduler.runDue();
        start(authorized().scheduler(scheduler).clock(clock).operator(request -> request.getHeader("X-Ops-Name")));
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();

        HttpResponse<String> work = browser.send(HttpRequest.newBuilder(base.resolve("work")).header(TOKEN_HEADER, "letmein")
                .header("X-Ops-Name", "alice").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(work.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("callbackkit-console=").contains("HttpOnly", "SameSite=Strict", "Path=/admin/callbacks/"));
        String token = work.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String form = "type=ecster.order&key=E-1&back=work&csrf=" + token;

        assertThat(post(browser, form.replace(token, "forged"), "alice", true).statusCode()).isEqualTo(403);
        assertThat(post(browser, "type=ecster.order&key=E-1", "alice", true).statusCode()).isEqualTo(403);
        assertThat(post(browser, form, "mallory", true).statusCode()).as("another operator's token").isEqualTo(403);
        assertThat(post(browser, form, "alice", false).statusCode()).as("not authorized").isEqualTo(403);
        assertThat(post(http, form, "alice", true).statusCode()).as("without the cookie").isEqualTo(403);
        assertThat(scheduler.dead()).hasSize(1);

        HttpResponse<String> run = post(browser, form, "alice", true);
        assertThat(run.statusCode()).isEqualTo(303);
        assertThat(run.headers().firstValue("Location")).contains("work");
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(scheduler.dead()).isEmpty();
        JournalEntry audit = journal.find(JournalQuery.builder().provider(JournalServlet.CONSOLE).build()).get(0);
        assertThat(audit.detail()).isEqualTo("run now of ecster.order E-1 by alice: due now");
        assertThat(audit.orderReferences()).containsExactly("E-1");
        assertThat(get("entry?id=" + audit.id(), true).body()).as("an operator's action is no failure")
                .contains("<strong class=\"verdict\">OPERATOR</strong>", "<td class=\"status intended\"")
                .doesNotContain("status bad");
        assertThat(post(browser, form.replace("back=work", "back=https%3A%2F%2Fevil.example%2F"), "alice", true)
                .headers().firstValue("Location")).as("no open redirect").contains("work");
        scheduler.close();
    }

    @Test
    void reDispatchesAKeptCallbackOnceItsCauseIsFixedAndSaysWhenBodiesAreNotKept() throws Exception {
        java.util.Set<String> orders = java.util.concurrent.ConcurrentHashMap.newKeySet();
        MutableClock clock = new MutableClock(T0);
        org.callbackkit.core.intake.CallbackRouter router = org.callbackkit.core.intake.CallbackRouter.builder()
                .journal(journal).clock(clock).keepBodies(Duration.ofHours(1), 100)
                .endpoint(CallbackEndpoint.builder("shop", "paid").path("/shop/paid/{orderId}").methods("POST")
                        .orderReferenceParameter("orderId")
                        .handler(request -> orders.contains(request.pathParameter("orderId").orElseThrow())
                                ? CallbackResponse.ok() : CallbackResponse.notFound("no such order"))
                        .build())
                .build();
        router.dispatch(org.callbackkit.core.testing.CallbackRequests.postJson("/shop/paid/4711", "{}").build());
        String refused = journal.find(JournalQuery.all()).get(0).id();
        start(authorized().router(router).clock(clock).operator(request -> "bob"));
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();

        String detail = browser.send(HttpRequest.newBuilder(base.resolve("entry?id=" + refused)).header(TOKEN_HEADER,
                "letmein").build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(detail).contains("kept in memory for re-dispatch until 2026-11-21 13:00:00.000 UTC", "Re-dispatch");
        String token = detail.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        orders.add("4711");
        HttpResponse<String> redispatched = browser.send(HttpRequest.newBuilder(base.resolve("redispatch"))
                .header(TOKEN_HEADER, "letmein").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + refused)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redispatched.statusCode()).as("without the token").isEqualTo(403);
        redispatched = browser.send(HttpRequest.newBuilder(base.resolve("redispatch"))
                .header(TOKEN_HEADER, "letmein").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + refused + "&csrf=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(redispatched.statusCode()).isEqualTo(303);
        assertThat(redispatched.headers().firstValue("Location")).contains("order?ref=4711");
        assertThat(journal.find(JournalQuery.builder().orderReference("4711").build()))
                .extracting(JournalEntry::provider, JournalEntry::status).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(JournalServlet.CONSOLE, 303),
                        org.assertj.core.groups.Tuple.tuple("shop", 200),
                        org.assertj.core.groups.Tuple.tuple("shop", 404));
        assertThat(journal.find(JournalQuery.builder().provider(JournalServlet.CONSOLE).build()).get(0).detail())
                .isEqualTo("re-dispatch of " + refused + " by bob: answered 200 ACCEPTED");

        stop();
        start(authorized());
        assertThat(get("entry?id=" + refused, true).body()).contains("not kept: the host keeps no bodies")
                .doesNotContain("id=\"redispatch\"");
    }

    private HttpResponse<String> post(HttpClient client, String form, String operator, boolean authorized) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("run")).header("X-Ops-Name", operator)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorized) {
            request.header(TOKEN_HEADER, "letmein");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJsonApiHasTheListsFiltersAndPages() throws Exception {
        for (int i = 0; i < 3; i++) {
            record("j" + i, i, "klarna", 200, CallbackOutcome.ACCEPTED, "/klarna/push/" + i, Map.of(), "");
        }
        start(authorized());

        HttpResponse<String> first = get("api/entries?limit=2", true);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.body());
        assertThat(json.get("entries")).extracting(e -> e.get("id").asText()).containsExactly("j2", "j1");
        String next = json.get("next").asText();
        com.fasterxml.jackson.databind.JsonNode second = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                get("api/entries?limit=2&after=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8),
                        true).body());
        assertThat(second.get("entries")).extracting(e -> e.get("id").asText()).containsExactly("j0");
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(get("api/entries?status=9xx", true).statusCode()).isEqualTo(400);
        assertThat(get("api/entries", false).statusCode()).isEqualTo(403);
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
    void aDatabaseOutageIsA503PageAndA503JsonNotTheContainersErrorPage() throws Exception {
        CallbackJournal down = new CallbackJournal() {
            @Override
            public void record(JournalEntry entry) {
            }

            @Override
            public List<JournalEntry> find(JournalQuery query) {
                throw new TemporarilyUnavailableException("database unavailable: find journal entries (08001)",
                        Duration.ofSeconds(5), null);
            }
        };
        start(JournalServlet.builder(down).authorization(request -> "letmein".equals(request.getHeader(TOKEN_HEADER))));

        HttpResponse<String> page = get("", true);
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Retry-After")).isPresent();
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.body()).contains("database is unavailable", "Callbacks are still answered");
        HttpResponse<String> api = get("api/entries", true);
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(api.body()).isEqualTo("{\"error\":\"the journal's database is unavailable\"}");
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
                .contains("<strong class=\"verdict\">DELIVERED</strong>", "refusePaymentsWithoutOrder(true)",
                        "the provider sends it again", "<p id=\"no-order\">Not a failure",
                        "<td class=\"status intended\"")
                .doesNotContain("does not exist", "REJECTED", "status bad");
        assertThat(get("api/entry?id=n2", true).body()).as("the JSON says what the page says")
                .contains("\"id\":\"n2\"", "\"status\":404", "\"diagnosis\":{\"verdict\":\"DELIVERED\"}");
        assertThat(get("api/entry?id=nothing", true).statusCode()).isEqualTo(404);
        assertThat(get("?outcome=NO_ORDER", true).body()).contains("2 callbacks")
                .as("the 404 is grey in the list, not red").contains("<td class=\"status intended\"")
                .doesNotContain("status bad");
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
    void compareTellsSameFromDifferentMaskedValuesWithoutShowingThem() throws Exception {
        org.callbackkit.core.intake.CallbackRouter router = org.callbackkit.core.intake.CallbackRouter.builder()
                .journal(journal).clock(new MutableClock(T0))
                .endpoint(CallbackEndpoint.builder("shop", "paid").path("/shop/paid").methods("POST")
                        .redact("X-Pin").handler(request -> CallbackResponse.ok()).build())
                .build();
        for (String pin : List.of("right-pin", "right-pin", "wrong-pin")) {
            router.dispatch(org.callbackkit.core.testing.CallbackRequests.postJson("/shop/paid", "{}").header("X-Pin", pin)
                    .build());
        }
        List<JournalEntry> entries = journal.find(JournalQuery.all()); // wrong, right, right
        start(authorized());

        String same = get("compare?id=" + entries.get(1).id() + "&id=" + entries.get(2).id(), true).body();
        String different = get("compare?id=" + entries.get(2).id() + "&id=" + entries.get(0).id(), true).body();

        assertThat(same).contains("<tr class=\"same\"><td class=\"name\">Header x-pin</td><td>*** (same value)</td>"
                + "<td>*** (same value)</td>");
        assertThat(different).contains("<tr class=\"diff\"><td class=\"name\">Header x-pin</td><td>*** (differs from the"
                + " right)</td><td>*** (differs from the left)</td>");
        assertThat(same + different).doesNotContain("right-pin", "wrong-pin");
        assertThat(entries.get(0).maskedFingerprints().get("header:X-Pin")).matches("[0-9a-f]{4}\\.[0-9a-f]{8}");
    }

    @Test
    void nodesWithOneFingerprintKeyCompareEachOthersSecretsAndOthersAreMarkedUnknown() throws Exception {
        byte[] shared = "a key every node of this shop shares, 32+ bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<org.callbackkit.core.intake.CallbackRouter> nodes = new java.util.ArrayList<>();
        for (byte[] key : java.util.Arrays.asList(shared, shared, null)) { // two nodes share it, a third has its own
            org.callbackkit.core.intake.CallbackRouter.Builder node = org.callbackkit.core.intake.CallbackRouter.builder()
                    .journal(journal).clock(new MutableClock(T0))
                    .endpoint(CallbackEndpoint.builder("shop", "paid").path("/shop/paid").methods("POST")
                            .redact("X-Pin").handler(request -> CallbackResponse.ok()).build());
            nodes.add((key == null ? node : node.fingerprintKey(key)).build());
        }
        for (org.callbackkit.core.intake.CallbackRouter node : nodes) {
            node.dispatch(org.callbackkit.core.testing.CallbackRequests.postJson("/shop/paid", "{}").header("X-Pin", "pin")
                    .build());
        }
        List<JournalEntry> entries = journal.find(JournalQuery.all()); // third node, second, first
        start(authorized());

        assertThat(get("compare?id=" + entries.get(2).id() + "&id=" + entries.get(1).id(), true).body())
                .contains("<tr class=\"same\"><td class=\"name\">Header x-pin</td><td>*** (same value)</td>");
        assertThat(get("compare?id=" + entries.get(2).id() + "&id=" + entries.get(0).id(), true).body())
                .as("a row that cannot be told is marked, not shown as the same")
                .contains("<tr class=\"unknown\"><td class=\"name\">Header x-pin</td><td>*** (cannot tell");
        assertThatThrownBy(() -> org.callbackkit.core.intake.CallbackRouter.builder().fingerprintKey(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detailShowsTheAnswersHeadersAndBodyAsJournaled() throws Exception {
        journal.record(new JournalEntry("r1", T0, "klarna", "push", CallbackOutcome.REJECTED_INPUT, 404, Duration.ZERO, "",
                "POST", "/klarna/push/1", Map.of(), Map.of(), 0, "", List.of(), Map.of(), new JournalEntry.Answer(
                        Map.of("Content-Type", List.of("application/json")), "{\"error\":\"no order <b>1</b>\"}", 31)));
        start(authorized());

        String page = get("entry?id=r1", true).body();

        assertThat(page).contains("<th>Header Content-Type</th><td><code>application/json</code>",
                "<th>Body</th><td><code>{&quot;error&quot;:&quot;no order &lt;b&gt;1&lt;/b&gt;&quot;}</code>",
                "<strong class=\"verdict\">REJECTED</strong>");
        assertThat(get("api/entry?id=r1", true).body()).contains("\"answer\":{\"headers\":{\"Content-Type\":"
                + "[\"application/json\"]},\"bodyStart\":\"{\\\"error\\\":\\\"no order <b>1</b>\\\"}\",\"bodyBytes\":31}",
                "\"diagnosis\":{\"verdict\":\"REJECTED\"", "\"nextSteps\":[");
    }

    @Test
    void anAnswerTheEndpointIntendsIsNoFailure() throws Exception {
        record("v1", 1, "klarna", 303, CallbackOutcome.ACCEPTED, "/klarna/validation/1", Map.of(),
                "validator answered redirect");
        record("v2", 2, "klarna", 303, CallbackOutcome.FAILED, "/klarna/validation/2", Map.of(), "");
        start(authorized());

        assertThat(get("entry?id=v1", true).body()).contains("<p id=\"intended\"><strong class=\"verdict\">DELIVERED"
                + "</strong>", "Klarna's reject-and-redirect 303").doesNotContain("REDIRECTED");
        assertThat(get("entry?id=v2", true).body()).contains("<strong class=\"verdict\">REDIRECTED</strong>")
                .doesNotContain("id=\"intended\"");
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
        assertThat(get("run", true).statusCode()).as("run is posted only").isEqualTo(405);
        assertThat(get("other", true).statusCode()).isEqualTo(404);
        HttpResponse<String> noSlash = http.send(HttpRequest.newBuilder(base.resolve("/admin/callbacks"))
                .header(TOKEN_HEADER, "letmein").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noSlash.statusCode()).isEqualTo(301);
        assertThat(noSlash.headers().firstValue("Location")).contains("/admin/callbacks/");
    }
}
