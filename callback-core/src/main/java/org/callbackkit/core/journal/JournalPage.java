package org.callbackkit.core.journal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.Diagnosis;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.schedule.ActionQuery;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * The journal as HTML pages, like a provider's merchant log: a filtered, paged list; one callback
 * in detail with its diagnosis; two callbacks compared; everything about one order; and the
 * delayed work. Transport-neutral: {@link JournalServlet} feeds it query parameters (and the
 * CSRF token its forms carry) and writes what it renders. Every value shown is HTML-escaped; the
 * pages hold no script at all.
 */
final class JournalPage {

    /** What to send: a status, a content type and a document. */
    record Rendered(int status, String contentType, String body) {
        Rendered(int status, String html) {
            this(status, "text/html; charset=utf-8", html);
        }

        String html() {
            return body;
        }
    }

    static final List<String> STATUS_CLASSES = List.of("2xx", "3xx", "4xx", "5xx");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    /** The most callbacks the order view lists. */
    static final int ORDER_CALLBACKS = 200;

    /** How a masked value starts that cannot be compared with the other entry's. */
    private static final String CANNOT_TELL = "*** (cannot tell";

    /** The most waiting and the most dead actions the order view lists, each. */
    static final int ORDER_ACTIONS = 200;

    /** The most waiting and the most dead actions the delayed-work view and its JSON list, each. */
    static final int WORK_ACTIONS = 500;
    /** The most API calls and action runs, together, the order view lists. */
    static final int ORDER_ACTIVITY = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);
    /**
     * Light by default, dark where the browser prefers it; readable on a phone (the tables scroll
     * sideways in their own box); a visible focus ring for the keyboard. Colours meet WCAG AA
     * (4.5:1 for text) on both backgrounds.
     */
    private static final String STYLE = """
            :root{color-scheme:light dark}
            body{font:14px/1.45 system-ui,sans-serif;margin:1em;color:#1f2328;background:#fff}
            a{color:#0969da}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #bf8700;outline-offset:2px}
            nav a{margin-right:1em}.skip{position:absolute;left:-999px}.skip:focus{left:1em;top:.5em;background:#fff;padding:.2em}
            .scroll{overflow-x:auto;max-width:100%}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f6f8fa}.status{color:#fff;font-weight:bold;text-align:center}
            .ok{background:#1a7f37}.bad{background:#cf222e}.intended{background:#57606a}.diff td,.unknown td{background:#fff8c5}.unknown td{font-style:italic}.diff td.name{font-weight:bold}
            .local{display:block;color:#57606a;font-size:12px}.muted{color:#57606a}
            code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}form{margin:.5em 0}
            form.inline{display:inline;margin:0}label{display:inline-block;margin:.2em .6em .2em 0}
            input,select,button{font:inherit;min-height:2em}.pager a{margin-right:1em}
            @media (max-width:640px){body{margin:.5em}td,th{padding:4px}label{display:block}}
            @media (prefers-color-scheme:dark){
            body{color:#e6edf3;background:#0d1117}a{color:#58a6ff}th{background:#161b22}td,th{border-color:#30363d}
            .diff td,.unknown td{background:#3d2e00;color:#f0e6c0}.local,.muted{color:#9198a1}.skip:focus{background:#0d1117}}
            """;

    /** The CSP source that allows exactly {@link #STYLE} and no other style: its SHA-256. */
    static final String STYLE_SOURCE = styleSource();


    private final CallbackJournal journal;
    private final StatusClassifier classifier;
    private final int scanLimit;
    private final DelayedActionScheduler scheduler;
    private final ZoneId zone;
    private final Clock clock;
    private final CallbackRouter router;

    JournalPage(CallbackJournal journal, StatusClassifier classifier, int scanLimit, DelayedActionScheduler scheduler,
            ZoneId zone, Clock clock, CallbackRouter router) {
        this.router = router;
        this.journal = Objects.requireNonNull(journal, "journal");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.scanLimit = scanLimit;
        this.scheduler = scheduler;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The query a list (or the JSON API) asks for, or why the parameters make none. */
    record Asked(JournalQuery query, String error) {
    }

    /**
     * The query the parameters ask for: {@code provider}, {@code kind}, {@code outcome},
     * {@code status} (a class), {@code order} (a reference), {@code from} and {@code to} (in the
     * page's zone, or as ISO instants), {@code probes} (shown when {@code 1}), {@code after} (a
     * cursor) and {@code limit}; one entry more than the limit, to know whether a next page exists.
     */
    Asked asked(Map<String, List<String>> params) {
        String outcome = param(params, "outcome");
        String status = param(params, "status");
        int limit;
        try {
            limit = param(params, "limit").isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(param(params, "limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT || (!outcome.isEmpty() && !isOutcome(outcome))
                || (!status.isEmpty() && !STATUS_CLASSES.contains(status))) {
            return new Asked(null, "Filter with provider, kind, outcome (" + String.join(", ", outcomeNames())
                    + "), status (" + String.join(", ", STATUS_CLASSES) + ") and a limit from 1 to " + MAX_LIMIT + ".");
        }
        JournalQuery.Builder query = JournalQuery.builder().limit(limit + 1).probes("1".equals(param(params, "probes")));
        if (!param(params, "provider").isEmpty()) {
            query.provider(param(params, "provider"));
        }
        if (!param(params, "kind").isEmpty()) {
            query.kind(param(params, "kind"));
        }
        if (!outcome.isEmpty()) {
            query.outcomes(CallbackOutcome.valueOf(outcome));
        }
        if (!status.isEmpty()) {
            int hundreds = (status.charAt(0) - '0') * 100;
            query.statuses(hundreds, hundreds + 100);
        }
        if (!param(params, "order").isEmpty()) {
            query.orderReference(param(params, "order"));
        }
        try {
            Optional<Instant> from = instant(param(params, "from"));
            Optional<Instant> to = instant(param(params, "to"));
            from.ifPresent(query::from);
            to.ifPresent(query::to);
            if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
                return new Asked(null, "The time range ends before it starts.");
            }
        } catch (DateTimeParseException e) {
            return new Asked(null, "Give times as " + zone.getId() + " local time (2026-11-21T14:30) or as a UTC"
                    + " instant (2026-11-21T13:30:00Z).");
        }
        if (!param(params, "after").isEmpty()) {
            try {
                query.olderThan(JournalQuery.Cursor.parse(param(params, "after")));
            } catch (IllegalArgumentException e) {
                return new Asked(null, "The page cursor is not one this journal made.");
            }
        }
        return new Asked(query.build(), null);
    }

    /** The list: filters, one page of callbacks, and a link to the next page when there is one. */
    Rendered list(Map<String, List<String>> params) {
        Asked asked = asked(params);
        if (asked.error() != null) {
            return error(400, "Bad filter", asked.error());
        }
        JournalQuery query = asked.query();
        int limit = query.limit() - 1;
        List<JournalEntry> found = journal.find(query);
        boolean more = found.size() > limit;
        List<JournalEntry> shown = more ? found.subList(0, limit) : found;
        List<String> providers;
        List<String> kinds;
        if (router != null) { // what the router can journal: no read of the journal for it
            providers = choices(router.endpoints().stream().map(CallbackEndpoint::provider));
            kinds = choices(router.endpoints().stream().map(CallbackEndpoint::kind));
        } else {
            List<JournalEntry> recent = journal.find(JournalQuery.builder().limit(scanLimit).build());
            providers = choices(recent.stream().map(JournalEntry::provider));
            kinds = choices(recent.stream().map(JournalEntry::kind));
        }

        StringBuilder html = new StringBuilder();
        html.append(nav("list")).append("<main id=\"main\">\n<h1>Callback journal</h1>\n");
        html.append("<form method=\"get\" action=\"./\" id=\"filters\">\n");
        html.append(select("provider", "Provider", param(params, "provider"), providers));
        html.append(select("kind", "Kind", param(params, "kind"), kinds));
        html.append(select("outcome", "Outcome", param(params, "outcome"), outcomeNames()));
        html.append(select("status", "Status", param(params, "status"), STATUS_CLASSES));
        html.append(input("order", "Order, purchase, address or txid", param(params, "order"), "search"));
        html.append(input("from", "From (" + zone.getId() + ")", param(params, "from"), "datetime-local"));
        html.append(input("to", "To (" + zone.getId() + ")", param(params, "to"), "datetime-local"));
        html.append("<label><input type=\"checkbox\" name=\"probes\" value=\"1\" id=\"probes\"")
                .append(query.probes() ? " checked" : "").append("> Show the doctor's probes</label>\n");
        if (!param(params, "limit").isEmpty()) {
            html.append("<input type=\"hidden\" name=\"limit\" value=\"").append(limit).append("\">\n");
        }
        html.append("<button type=\"submit\" id=\"filter\">Filter</button> <a href=\"./\">All</a>\n</form>\n");
        html.append("<p id=\"count\">");
        if (more || query.olderThan().isPresent()) {
            html.append("This page shows ").append(shown.size()).append(shown.size() == 1 ? " callback" : " callbacks")
                    .append(", newest first").append(more ? "; older ones are on the next page." : "; no older ones.");
        } else {
            html.append(shown.size()).append(shown.size() == 1 ? " callback" : " callbacks").append(", newest first.");
        }
        html.append(query.probes() ? "" : " The doctor's probes are hidden.").append("</p>\n");
        long dropped = journal.dropped();
        if (dropped > 0) {
            html.append("<p id=\"dropped\"><strong>").append(dropped).append(dropped == 1 ? " callback is" : " callbacks are")
                    .append(" missing from this journal</strong>: the database could not take them during an outage and"
                            + " the spool that waits for it was full. They were answered; look for them in the"
                            + " provider's own log.</p>\n");
        }
        html.append("<form method=\"get\" action=\"compare\" id=\"compare-form\">\n");
        entries(html, shown, true);
        html.append("<button type=\"submit\" id=\"compare\">Compare the two checked</button>\n</form>\n");
        html.append("<p class=\"pager\">");
        if (query.olderThan().isPresent()) {
            html.append("<a id=\"first\" href=\"./").append(queryString(params, "after", null)).append("\">Newest</a>");
        }
        if (more) {
            html.append("<a id=\"next\" rel=\"next\" href=\"./").append(queryString(params, "after",
                    JournalQuery.Cursor.of(shown.get(shown.size() - 1)).toString())).append("\">Older callbacks</a>");
        }
        html.append("</p>\n</main>\n");
        return new Rendered(200, document("Callback journal", html.toString()));
    }

    /** A table of entries: time (UTC and local), provider, kind, order, status, outcome, latency, request. */
    private void entries(StringBuilder html, List<JournalEntry> shown, boolean compare) {
        html.append("<div class=\"scroll\"><table id=\"journal\">\n<thead><tr>")
                .append(compare ? "<th>Compare</th>" : "")
                .append("<th>").append(timeHeading("Time")).append("</th><th>Provider</th><th>Kind</th><th>Order</th>"
                        + "<th>Status</th><th>Outcome</th><th>Latency</th><th>Request</th></tr></thead>\n<tbody>\n");
        for (JournalEntry entry : shown) {
            html.append("<tr class=\"entry\" data-id=\"").append(escape(entry.id())).append("\">");
            if (compare) {
                html.append("<td><input type=\"checkbox\" name=\"id\" value=\"").append(escape(entry.id()))
                        .append("\" aria-label=\"Compare the callback of ").append(escape(TIME.format(entry.receivedAt())))
                        .append("\"></td>");
            }
            html.append("<td><a class=\"detail\" href=\"entry?id=").append(url(entry.id())).append("\">")
                    .append(time(entry.receivedAt())).append("</a></td>")
                    .append("<td class=\"provider\">").append(escape(entry.provider())).append("</td>")
                    .append("<td class=\"kind\">").append(escape(entry.kind())).append(entry.probe() ? " <span class=\"muted\">(probe)</span>" : "")
                    .append("</td><td class=\"order\">");
            for (String reference : entry.orderReferences()) {
                html.append("<a class=\"order\" href=\"order?ref=").append(url(reference)).append("\">")
                        .append(escape(reference)).append("</a> ");
            }
            html.append("</td>").append(statusCell(entry))
                    .append("<td class=\"outcome\">").append(escape(entry.outcome().name())).append("</td>")
                    .append("<td>").append(entry.latency().toMillis()).append(" ms</td>")
                    .append("<td><code>").append(escape(entry.method() + " " + entry.path())).append("</code></td></tr>\n");
        }
        html.append("</tbody>\n</table></div>\n");
    }

    /** The classifier's diagnosis of the entry's answer, as a provider would have met it. */
    Diagnosis diagnose(JournalEntry entry) {
        return classifier.classify(attemptOf(entry));
    }

    /** What the page says of an answer the endpoint meant, instead of the classifier's verdict; empty for others. */
    static Optional<String> intendedAs(JournalEntry entry) {
        return entry.provider().equals(JournalServlet.CONSOLE) ? Optional.of("OPERATOR")
                : intended(entry) ? Optional.of("DELIVERED") : Optional.empty();
    }

    /** Until when the entry's request is kept for re-dispatch, if it is. */
    Optional<Instant> keptUntil(JournalEntry entry) {
        return router == null ? Optional.empty() : router.keptUntil(entry.id());
    }

    /** One callback: the redacted request, the answer, and the classifier's diagnosis. */
    Rendered detail(Map<String, List<String>> params, String csrfToken) {
        Optional<JournalEntry> found = find(param(params, "id"));
        if (found.isEmpty()) {
            return error(404, "No such callback", "The journal holds no callback with this id (the journal keeps a "
                    + "bounded number of entries).");
        }
        JournalEntry entry = found.get();
        Diagnosis diagnosis = diagnose(entry);
        String title = title(entry);
        StringBuilder html = new StringBuilder();
        html.append(nav("")).append("<main id=\"main\">\n<h1>").append(escape(title)).append("</h1>\n");
        html.append("<h2>Request</h2>\n<div class=\"scroll\"><table id=\"request\">\n");
        html.append("<tr><th>Received</th><td>").append(time(entry.receivedAt())).append("</td></tr>\n");
        row(html, "Provider / kind", entry.provider() + " / " + entry.kind());
        if (!entry.orderReferences().isEmpty()) {
            html.append("<tr><th>Order</th><td>");
            entry.orderReferences().forEach(reference -> html.append("<a class=\"order\" href=\"order?ref=")
                    .append(url(reference)).append("\">").append(escape(reference)).append("</a> "));
            html.append("</td></tr>\n");
        }
        row(html, "Id", entry.id());
        row(html, "Remote address", entry.remoteAddress());
        row(html, "Method", entry.method());
        row(html, "Path", entry.path());
        entry.query().forEach((name, values) -> row(html, "Query " + name, String.join(", ", values)));
        entry.headers().forEach((name, values) -> row(html, "Header " + name, String.join(", ", values)));
        Optional<Instant> keptUntil = router == null ? Optional.empty() : router.keptUntil(entry.id());
        html.append("<tr><th>Body</th><td id=\"body\">").append(entry.bodyBytes()).append(" bytes; ");
        if (keptUntil.isPresent()) {
            html.append("kept in memory for re-dispatch until ").append(escape(TIME.format(keptUntil.get())))
                    .append(" UTC, never shown. <form class=\"inline\" method=\"post\" action=\"redispatch\">")
                    .append(hidden("id", entry.id())).append(hidden(JournalServlet.CSRF_PARAMETER, csrfToken))
                    .append("<button type=\"submit\" id=\"redispatch\">Re-dispatch</button></form>"
                            + " <span class=\"muted\">The handler runs it again, as if it arrived now.</span>");
        } else if (router != null && router.keepsBodies()) {
            html.append("not kept here (past the retention, pushed out by newer ones, received before a restart or"
                    + " by another node), so it cannot be re-dispatched; the provider's own resend is the way.");
        } else {
            html.append("not kept: the host keeps no bodies (CallbackRouter.Builder.keepBodies), so it cannot be"
                    + " re-dispatched; the provider's own resend is the way.");
        }
        html.append("</td></tr>\n");
        html.append("</table></div>\n<h2>Answer</h2>\n<div class=\"scroll\"><table id=\"answer\">\n");
        html.append("<tr><th>Status</th>").append(statusCell(entry)).append("</tr>\n");
        JournalEntry.Answer answer = entry.answer();
        answer.headers().forEach((name, values) -> row(html, "Header " + name, String.join(", ", values)));
        if (!answer.known()) {
            row(html, "Body", "not recorded (an entry from before answers were kept)");
        } else if (!answer.bodyStart().isEmpty()) {
            row(html, "Body", answer.bodyStart() + (answer.bodyStart().length() >= JournalEntry.Answer.BODY_START_CHARS
                    ? " ... (" + answer.bodyBytes() + " bytes, the first " + JournalEntry.Answer.BODY_START_CHARS
                            + " characters shown)" : ""));
        } else {
            row(html, "Body", answer.bodyBytes() == 0 ? "(none)" : answer.bodyBytes() + " bytes, not kept: a 2xx body may"
                    + " echo the shopper's order");
        }
        row(html, "Outcome", entry.outcome().name());
        row(html, "Latency", entry.latency().toMillis() + " ms");
        row(html, "Detail", entry.detail());
        html.append("</table></div>\n<h2>Diagnosis</h2>\n<div id=\"diagnosis\">\n");
        if (entry.provider().equals(JournalServlet.CONSOLE)) {
            html.append("<p id=\"intended\"><strong class=\"verdict\">OPERATOR</strong>: an action taken on this page,"
                    + " answered with a redirect back to it; the detail says who did what.</p>\n");
        } else if (intended(entry)) {
            html.append("<p id=\"intended\"><strong class=\"verdict\">DELIVERED</strong>: the endpoint's handler chose"
                    + " this answer (").append(entry.status()).append(") and journaled the callback as ")
                    .append(escape(entry.outcome().name())).append(entry.outcome() == CallbackOutcome.NO_ORDER
                            ? ". The module refuses payments without an order (refusePaymentsWithoutOrder(true)), so the"
                                    + " provider sends it again, and it goes through once the shop has the order.</p>\n"
                            : ". It is the answer the endpoint intends, such as Klarna's reject-and-redirect 303 or a"
                                    + " refusal of the shopper's cart, not a failure to deliver.</p>\n");
        } else {
            html.append("<p><strong class=\"verdict\">")
                    .append(escape(diagnosis.verdict().name())).append("</strong>")
                    .append(diagnosis.firewall().map(f -> " (firewall: " + escape(f) + ")").orElse(""))
                    .append(": ").append(escape(diagnosis.summary())).append("</p>\n<ol>\n");
            diagnosis.nextSteps().forEach(step -> html.append("<li>").append(escape(step)).append("</li>\n"));
            html.append("</ol>\n");
        }
        if (entry.outcome() == CallbackOutcome.NO_ORDER) {
            html.append("<p id=\"no-order\">Not a failure: the callback was authentic, but the shop has no order for "
                    + "it (a payment to an address no order uses). It never reached the shop's listener.</p>\n");
        }
        html.append("<p>This callback reached the shop: the router recorded it. Compare it with one that worked "
                + "to see what differs.</p>\n</div>\n</main>\n");
        return new Rendered(200, document(title, html.toString()));
    }

    /**
     * Whether the handler meant a non-2xx answer: it answered it and still journaled the callback
     * as accepted, a duplicate or without an order (a Klarna validation's 303 redirect or 400
     * rejection is the shop's decision about the cart; a Blockonomics 404 for a payment without an
     * order asks for it again), as an operator's action on this page is. The classifier judges answers as a provider sees them, and would
     * call a 303 a redirect the provider cannot follow.
     */
    private static boolean intended(JournalEntry entry) {
        return entry.status() / 100 != 2 && !entry.provider().equals(JournalEntry.UNMATCHED)
                && (entry.provider().equals(JournalServlet.CONSOLE) || entry.outcome() == CallbackOutcome.ACCEPTED || entry.outcome() == CallbackOutcome.DUPLICATE
                        || entry.outcome() == CallbackOutcome.NO_ORDER);
    }

    private static String styleSource() {
        try {
            return "'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(STYLE.getBytes(StandardCharsets.UTF_8))) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** "klarna push, order X, 2026-11-21 12:00:00.000 UTC": what an operator recognises, not a hex id. */
    private static String title(JournalEntry entry) {
        return entry.provider() + " " + entry.kind()
                + (entry.orderReferences().isEmpty() ? "" : ", order " + entry.orderReferences().get(0))
                + ", " + TIME.format(entry.receivedAt()) + " UTC";
    }

    /**
     * Everything about one order: its callbacks (newest first); the delayed actions whose key
     * is the reference (or starts with it and a slash, as Klarna's per-event notification keys do),
     * waiting or dead, each with "run now"; and what the journal recorded the provider modules did
     * for it: their API calls and the runs of its delayed actions, newest first.
     */
    Rendered order(Map<String, List<String>> params, String csrfToken) {
        String reference = param(params, "ref");
        if (reference.isEmpty()) {
            return error(400, "Which order?", "Give an order reference: an order or purchase id, an address or a txid.");
        }
        Order order = order(reference);
        List<JournalEntry> shown = order.callbacks();
        StringBuilder html = new StringBuilder();
        html.append(nav("")).append("<main id=\"main\">\n<h1>Order ").append(escape(reference)).append("</h1>\n");
        html.append("<h2>Outcome</h2>\n<p id=\"order-outcome\">");
        if (shown.isEmpty()) {
            html.append("No callback names this order.");
        } else {
            JournalEntry last = shown.get(0);
            html.append("Last callback ").append(escape(TIME.format(last.receivedAt()))).append(" UTC: ")
                    .append(escape(last.outcome().name())).append(", ").append(escape(last.detail())).append('.');
        }
        order.runs().stream().findFirst().ifPresent(run -> html.append(" Last action run ")
                .append(escape(TIME.format(run.at()))).append(" UTC: ").append(escape(run.result())).append('.'));
        if (scheduler != null) {
            html.append(' ').append(order.dead().isEmpty() && order.pending().isEmpty()
                    ? "No delayed work waits or died for it."
                    : order.pending().size() + " delayed action(s) waiting, " + order.dead().size() + " dead.");
        }
        html.append("</p>\n<h2>Callbacks</h2>\n<p id=\"order-count\">").append(shown.size())
                .append(shown.size() == 1 ? " callback" : " callbacks")
                .append(order.moreCallbacks() ? " shown, the newest; <a href=\"./?order=" + url(reference)
                        + "\">page through them all</a>." : ", newest first.").append("</p>\n");
        entries(html, shown, false);
        html.append("<h2>Delayed actions</h2>\n");
        if (scheduler == null) {
            html.append("<p class=\"muted\">The host did not give this page its scheduler.</p>\n");
        } else {
            actions(html, order.pending(), order.dead(), csrfToken,
                    "order?ref=" + URLEncoder.encode(reference, StandardCharsets.UTF_8));
        }
        html.append("<h2>Action runs</h2>\n");
        if (order.noActivity() != null) {
            html.append("<p class=\"muted\" id=\"no-activity\">").append(escape(order.noActivity())).append("</p>\n");
        } else {
            runs(html, order.runs());
        }
        html.append("<h2>Provider API calls</h2>\n");
        if (order.noActivity() != null) {
            html.append("<p class=\"muted\">See above.</p>\n");
        } else {
            calls(html, order.calls());
        }
        html.append("</main>\n");
        return new Rendered(200, document("Order " + reference, html.toString()));
    }

    /** What the order view and its JSON show of one order. */
    record Order(List<JournalEntry> callbacks, boolean moreCallbacks, List<PendingAction> pending, List<DeadAction> dead,
            List<OrderActivity> runs, List<OrderActivity> calls, String noActivity) {
    }

    /** Everything the journal and the scheduler know of order {@code reference}. */
    Order order(String reference) {
        List<JournalEntry> found = journal.find(JournalQuery.builder().orderReference(reference).probes(false)
                .limit(ORDER_CALLBACKS + 1).build());
        boolean more = found.size() > ORDER_CALLBACKS;
        List<PendingAction> pending = scheduler == null ? List.of()
                : scheduler.pending(ActionQuery.aboutOrder(reference, ORDER_ACTIONS));
        List<DeadAction> dead = scheduler == null ? List.of()
                : scheduler.dead(ActionQuery.aboutOrder(reference, ORDER_ACTIONS));
        List<OrderActivity> activity;
        String noActivity = null;
        try {
            activity = journal.findActivity(reference, ORDER_ACTIVITY);
        } catch (UnsupportedOperationException e) {
            activity = List.of();
            noActivity = "This journal (" + journal.getClass().getSimpleName() + ") keeps no provider API calls or"
                    + " action runs; the delayed actions' last errors say what a failed call answered.";
        }
        return new Order(more ? found.subList(0, ORDER_CALLBACKS) : found, more, pending, dead,
                activity.stream().filter(a -> a.kind() == OrderActivity.Kind.ACTION_RUN).toList(),
                activity.stream().filter(a -> a.kind() == OrderActivity.Kind.API_CALL).toList(), noActivity);
    }

    /** The runs of the order's delayed actions: when, type, key, attempt, how each ended and when the next comes. */
    private void runs(StringBuilder html, List<OrderActivity> runs) {
        if (runs.isEmpty()) {
            html.append("<p id=\"no-runs\">No run of a delayed action is recorded for this order.</p>\n");
            return;
        }
        html.append("<div class=\"scroll\"><table id=\"action-runs\">\n<thead><tr><th>").append(timeHeading("Started"))
                .append("</th><th>Type</th><th>Key</th><th>Attempt</th><th>Result</th><th>Took</th><th>Error</th><th>")
                .append(timeHeading("Next attempt")).append("</th></tr></thead>\n<tbody>\n");
        for (OrderActivity run : runs) {
            html.append("<tr class=\"action-run ").append(escape(run.result())).append("\"><td>").append(time(run.at()))
                    .append("</td><td>").append(escape(run.source())).append("</td><td><code>").append(escape(run.subject()))
                    .append("</code></td><td>").append(run.attempt()).append("</td><td class=\"result\">")
                    .append(escape(run.result())).append("</td><td>").append(run.duration().toMillis())
                    .append(" ms</td><td><code>").append(escape(run.error())).append("</code></td><td>")
                    .append(run.nextAttempt().map(this::time).orElse("")).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table></div>\n");
    }

    /** The calls to the provider's API for the order: when, provider, method and path, status or failure, latency. */
    private void calls(StringBuilder html, List<OrderActivity> calls) {
        if (calls.isEmpty()) {
            html.append("<p id=\"no-calls\">No call to a provider's API is recorded for this order.</p>\n");
            return;
        }
        html.append("<div class=\"scroll\"><table id=\"api-calls\">\n<thead><tr><th>").append(timeHeading("Time"))
                .append("</th><th>Provider</th><th>Call</th><th>Status</th><th>Latency</th><th>Failure</th></tr></thead>\n"
                        + "<tbody>\n");
        for (OrderActivity call : calls) {
            html.append("<tr class=\"api-call\"><td>").append(time(call.at())).append("</td><td>")
                    .append(escape(call.source())).append("</td><td><code>").append(escape(call.subject()))
                    .append("</code></td>").append(call.status() != 0 ? statusCell(call.status())
                            : "<td class=\"status bad\">" + escape(call.result()) + "</td>")
                    .append("<td>").append(call.duration().toMillis()).append(" ms</td><td><code>")
                    .append(escape(call.error())).append("</code></td></tr>\n");
        }
        html.append("</tbody>\n</table></div>\n");
    }

    /** The delayed work: counts from health(), then every waiting, running and dead action by type. */
    Rendered work(String csrfToken) {
        if (scheduler == null) {
            return error(404, "No delayed work here", "The host did not give this page its scheduler.");
        }
        SchedulerHealth health = scheduler.health();
        StringBuilder html = new StringBuilder();
        html.append(nav("work")).append("<main id=\"main\">\n<h1>Delayed work</h1>\n<p id=\"health\">")
                .append(health.pending()).append(" waiting, ").append(health.overdue()).append(" overdue, ")
                .append(health.running()).append(" running, ").append(health.dead()).append(" dead")
                .append(health.oldestOverdueSince().map(since -> "; overdue since " + escape(TIME.format(since)) + " UTC")
                        .orElse(""))
                .append(health.healthy() ? ". Healthy." : ".").append("</p>\n");
        List<PendingAction> pending = scheduler.pending(ActionQuery.first(WORK_ACTIONS));
        List<DeadAction> dead = scheduler.dead(ActionQuery.first(WORK_ACTIONS));
        if (pending.size() < health.pending() + health.running() || dead.size() < health.dead()) {
            html.append("<p id=\"work-shown\">Shown: the ").append(pending.size()).append(" soonest not done and the ")
                    .append(dead.size()).append(" oldest dead. Find an order to see all of its actions.</p>\n");
        }
        actions(html, pending, dead, csrfToken, "work");
        html.append("</main>\n");
        return new Rendered(200, document("Delayed work", html.toString()));
    }

    private void actions(StringBuilder html, List<PendingAction> pending, List<DeadAction> dead, String csrfToken,
            String back) {
        Instant now = clock.instant();
        Map<String, List<String>> rows = new TreeMap<>();
        for (PendingAction action : pending) {
            boolean due = !action.action().runAt().isAfter(now);
            String state = action.running() ? "running" : due ? "overdue" : action.attempts() > 0 ? "retrying" : "waiting";
            rows.computeIfAbsent(action.action().type(), t -> new ArrayList<>()).add(actionRow(state,
                    action.action().type(), action.action().key(), action.action().runAt(), action.attempts(),
                    action.lastError().orElse(""), action.running() ? null : csrfToken, back));
        }
        for (DeadAction action : dead) {
            rows.computeIfAbsent(action.action().type(), t -> new ArrayList<>()).add(actionRow("dead",
                    action.action().type(), action.action().key(), action.diedAt(), action.attempts(), action.lastError(),
                    csrfToken, back));
        }
        if (rows.isEmpty()) {
            html.append("<p id=\"no-actions\">No delayed action waits, runs or died.</p>\n");
            return;
        }
        rows.forEach((type, list) -> {
            html.append("<h3>").append(escape(type)).append("</h3>\n<div class=\"scroll\"><table class=\"actions\">\n")
                    .append("<thead><tr><th>Key</th><th>State</th><th>Next attempt / died (UTC)</th><th>Attempts</th>"
                            + "<th>Last error</th><th></th></tr></thead>\n<tbody>\n");
            list.forEach(html::append);
            html.append("</tbody></table></div>\n");
        });
    }

    private String actionRow(String state, String type, String key, Instant at, int attempts, String lastError,
            String csrfToken, String back) {
        StringBuilder row = new StringBuilder("<tr class=\"action ").append(state).append("\" data-key=\"")
                .append(escape(key)).append("\"><td><a class=\"order\" href=\"order?ref=")
                .append(url(OrderActivity.orderReferenceOf(key))).append("\">")
                .append(escape(key)).append("</a></td><td class=\"state\">").append(state).append("</td><td>")
                .append(time(at)).append("</td><td>").append(attempts).append("</td><td><code>")
                .append(escape(lastError)).append("</code></td><td>");
        if (csrfToken != null) { // running ones get none
            row.append("<form class=\"inline\" method=\"post\" action=\"run\">")
                    .append(hidden("type", type)).append(hidden("key", key)).append(hidden("back", back))
                    .append(hidden(JournalServlet.CSRF_PARAMETER, csrfToken))
                    .append("<button type=\"submit\" class=\"run-now\">Run now</button></form>");
        }
        return row.append("</td></tr>\n").toString();
    }

    /** Two callbacks side by side, the rows that differ highlighted: {@code id=a&id=b}. */
    Rendered compare(Map<String, List<String>> params) {
        List<String> ids = params.getOrDefault("id", List.of()).stream().filter(id -> !id.isBlank()).toList();
        if (ids.size() != 2) {
            return error(400, "Choose two callbacks", "Check exactly two callbacks in the journal to compare them.");
        }
        Optional<JournalEntry> first = find(ids.get(0));
        Optional<JournalEntry> second = find(ids.get(1));
        if (first.isEmpty() || second.isEmpty()) {
            return error(404, "No such callback", "The journal holds no callback with one of these ids.");
        }
        Map<String, String> a = comparable(first.get(), second.get(), "right");
        Map<String, String> b = comparable(second.get(), first.get(), "left");
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(a.keySet());
        names.addAll(b.keySet());
        List<String> ordered = new ArrayList<>(a.keySet());
        names.stream().filter(n -> !a.containsKey(n)).forEach(ordered::add);
        StringBuilder html = new StringBuilder();
        html.append(nav("")).append("<main id=\"main\">\n<h1>Compare two callbacks</h1>\n")
                .append("<p>Rows that differ are highlighted, and in italics those that cannot be told apart (a"
                        + " masked value hashed by another node: give the nodes one fingerprint key). Masked values are"
                        + " never shown: a keyed hash of each tells whether the two are the same.</p>\n<div class=\"scroll\"><table id=\"comparison\">\n<thead><tr><th></th><th>")
                .append("<a href=\"entry?id=").append(url(first.get().id())).append("\">").append(escape(title(first.get())))
                .append("</a></th><th><a href=\"entry?id=").append(url(second.get().id())).append("\">")
                .append(escape(title(second.get()))).append("</a></th></tr></thead>\n<tbody>\n");
        html.append("<tr class=\"same\"><td class=\"name\">Received</td><td>")
                .append(escape(TIME.format(first.get().receivedAt()))).append("</td><td>")
                .append(escape(TIME.format(second.get().receivedAt()))).append("</td></tr>\n");
        for (String name : ordered) {
            String left = a.getOrDefault(name, "(absent)");
            String right = b.getOrDefault(name, "(absent)");
            String row = left.startsWith(CANNOT_TELL) || right.startsWith(CANNOT_TELL) ? "unknown"
                    : left.equals(right) ? "same" : "diff";
            html.append("<tr class=\"").append(row).append("\"><td class=\"name\">")
                    .append(escape(name)).append("</td><td>").append(escape(left)).append("</td><td>")
                    .append(escape(right)).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table></div>\n</main>\n");
        return new Rendered(200, document("Compare two callbacks", html.toString()));
    }

    /** A page that says only {@code message}, with {@code status}. */
    static Rendered error(int status, String title, String message) {
        return new Rendered(status, document(title, "<main id=\"main\">\n<h1>" + escape(title) + "</h1>\n<p id=\"message\">"
                + escape(message) + "</p>\n<p><a href=\"./\">Back to the journal</a></p>\n</main>\n"));
    }

    /**
     * The attempt the journal entry stands for, for the classifier: the status the shop answered
     * with the answer's headers and body start as the journal kept them; for an entry recorded
     * before answers were kept, the router's error answers rebuilt by the same
     * {@link CallbackResponse} factories the router answered with (the journal keeps the reason as
     * the entry's detail and a 500's error id as the entry's id).
     */
    static DeliveryAttempt attemptOf(JournalEntry entry) {
        DeliveryAttempt.Builder attempt = DeliveryAttempt.builder(entry.provider(), entry.kind())
                .attemptedAt(entry.receivedAt()).status(entry.status());
        if (entry.answer().known()) { // the answer itself, as the journal kept it
            CallbackHeaders headers = CallbackHeaders.empty();
            for (Map.Entry<String, List<String>> header : entry.answer().headers().entrySet()) {
                if (!header.getValue().isEmpty()) {
                    headers = headers.with(header.getKey(), header.getValue().get(0));
                }
            }
            return attempt.headers(headers).bodyStart(entry.answer().bodyStart()).build();
        }
        if (entry.status() >= 400) {
            attempt.headers(CallbackHeaders.of("Content-Type", "application/json"))
                    .bodyStart(entry.status() == 500 && entry.outcome() == CallbackOutcome.FAILED
                            ? CallbackResponse.internalError(entry.id()).bodyAsString()
                            : CallbackResponse.error(entry.status(), entry.detail()).bodyAsString());
        }
        return attempt.build();
    }

    Optional<JournalEntry> find(String id) {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return journal.find(JournalQuery.builder().id(id).limit(1).build()).stream().findFirst();
    }

    /**
     * What the compare view lines up: request and answer, header names ignoring case; a masked
     * value as "same" or "different" from the other entry's by their keyed hashes.
     */
    private static Map<String, String> comparable(JournalEntry entry, JournalEntry other, String otherSide) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Provider", entry.provider());
        values.put("Kind", entry.kind());
        values.put("Order", String.join(", ", entry.orderReferences()));
        values.put("Remote address", entry.remoteAddress());
        values.put("Method", entry.method());
        values.put("Path", entry.path());
        new TreeMap<>(entry.query()).forEach((name, v) -> values.put("Query " + name,
                masked(entry, other, otherSide, "query:" + name).orElse(String.join(", ", v))));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(entry.headers());
        headers.forEach((name, v) -> values.put("Header " + name.toLowerCase(Locale.ROOT),
                masked(entry, other, otherSide, "header:" + name).orElse(String.join(", ", v))));
        values.put("Body bytes", Long.toString(entry.bodyBytes()));
        values.put("Status", Integer.toString(entry.status()));
        values.put("Outcome", entry.outcome().name());
        values.put("Detail", entry.detail());
        return values;
    }

    /**
     * How a masked value compares with the other entry's: "*** (same value)", "*** (differs from
     * the right)" (so the row differs), or "*** (cannot tell ...)" when the other has no hash under
     * the same key (another process recorded it); empty when the value was not masked.
     */
    private static Optional<String> masked(JournalEntry entry, JournalEntry other, String otherSide, String name) {
        String mine = fingerprint(entry, name);
        if (mine == null) {
            return Optional.empty();
        }
        String theirs = fingerprint(other, name);
        if (theirs == null || !keyId(theirs).equals(keyId(mine))) {
            return Optional.of(CANNOT_TELL + ": hashed by another process, or not masked there)");
        }
        return Optional.of(mine.equals(theirs) ? "*** (same value)" : "*** (differs from the " + otherSide + ")");
    }

    /** The entry's fingerprint of {@code name} ({@code header:} names ignoring case, as HTTP does). */
    private static String fingerprint(JournalEntry entry, String name) {
        String exact = entry.maskedFingerprints().get(name);
        if (exact != null || !name.startsWith("header:")) {
            return exact;
        }
        return entry.maskedFingerprints().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String keyId(String fingerprint) {
        int dot = fingerprint.indexOf('.');
        return dot < 0 ? "" : fingerprint.substring(0, dot);
    }

    /** The heading of a column of {@link #time times}: "Time (UTC, Europe/Stockholm)". */
    private String timeHeading(String what) {
        return escape(what) + " (UTC" + (zone.equals(ZoneOffset.UTC) ? "" : ", " + escape(zone.getId())) + ")";
    }

    /** UTC, and beneath it the page's zone when that is another one: no script, so the server converts. */
    private String time(Instant instant) {
        StringBuilder html = new StringBuilder("<time datetime=\"").append(instant).append("\">")
                .append(escape(TIME.format(instant))).append("</time>");
        if (!zone.equals(ZoneOffset.UTC)) {
            html.append("<span class=\"local\">").append(escape(LOCAL.format(instant.atZone(zone)))).append(' ')
                    .append(escape(zone.getId())).append("</span>");
        }
        return html.toString();
    }

    /** A UTC instant ({@code ...Z}) or a local date-time in the page's zone, as a datetime-local input sends it. */
    private Optional<Instant> instant(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.endsWith("Z") || text.endsWith("z")) {
            return Optional.of(Instant.parse(text.toUpperCase(Locale.ROOT)));
        }
        return Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant());
    }

    private String nav(String current) {
        StringBuilder html = new StringBuilder("<a class=\"skip\" href=\"#main\">Skip to the content</a>\n<nav aria-label=\"Console\">");
        html.append("<a href=\"./\"").append("list".equals(current) ? " aria-current=\"page\"" : "").append(">Callbacks</a>");
        if (scheduler != null) {
            html.append("<a href=\"work\"").append("work".equals(current) ? " aria-current=\"page\"" : "")
                    .append(">Delayed work</a>");
        }
        html.append("<form class=\"inline\" method=\"get\" action=\"order\" role=\"search\">")
                .append("<label>Find an order <input type=\"search\" name=\"ref\" id=\"find-order\" size=\"24\""
                        + " placeholder=\"order id, address, txid\"></label> <button type=\"submit\" id=\"find\">Find</button></form>");
        return html.append("</nav>\n").toString();
    }

    private static String statusCell(int status) {
        return "<td class=\"status " + (status / 100 == 2 ? "ok" : "bad") + "\">" + status + "</td>";
    }

    /** A callback's status: green, red, or grey where the endpoint intended a non-2xx answer. */
    private static String statusCell(JournalEntry entry) {
        return intended(entry) ? "<td class=\"status intended\" title=\"intended by the endpoint\">" + entry.status()
                + "</td>" : statusCell(entry.status());
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td><code>").append(escape(value)).append("</code></td></tr>\n");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">";
    }

    private static String input(String name, String label, String value, String type) {
        String shown = value;
        if ("datetime-local".equals(type) && (value.endsWith("Z") || value.endsWith("z"))) {
            shown = ""; // an instant from a script's URL; the input shows local times only
        }
        return "<label>" + escape(label) + " <input type=\"" + type + "\" name=\"" + name + "\" id=\"" + name
                + "\" value=\"" + escape(shown) + "\"></label>\n";
    }

    private static String select(String name, String label, String selected, List<String> options) {
        StringBuilder html = new StringBuilder("<label>").append(label).append(" <select name=\"").append(name)
                .append("\" id=\"").append(name).append("\"><option value=\"\">any</option>");
        List<String> all = new ArrayList<>(options);
        if (!selected.isEmpty() && !all.contains(selected)) {
            all.add(selected);
        }
        for (String option : all) {
            html.append("<option value=\"").append(escape(option)).append('"')
                    .append(option.equals(selected) ? " selected" : "").append('>').append(escape(option)).append("</option>");
        }
        return html.append("</select></label>\n").toString();
    }

    /** {@code ?} and the parameters, with {@code name} replaced by {@code value} (or left out when null), escaped for an attribute. */
    private static String queryString(Map<String, List<String>> params, String name, String value) {
        StringBuilder query = new StringBuilder();
        params.forEach((key, values) -> {
            if (!key.equals(name)) {
                values.forEach(v -> query.append(query.length() == 0 ? "?" : "&").append(URLEncoder.encode(key,
                        StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            }
        });
        if (value != null) {
            query.append(query.length() == 0 ? "?" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return escape(query.toString());
    }

    /** The choices of a filter: each value once, sorted, with {@link JournalEntry#UNMATCHED}. */
    private static List<String> choices(Stream<String> values) {
        return Stream.concat(values, Stream.of(JournalEntry.UNMATCHED)).distinct().sorted().toList();
    }

    private static List<String> outcomeNames() {
        return Arrays.stream(CallbackOutcome.values()).map(Enum::name).toList();
    }

    private static boolean isOutcome(String name) {
        return outcomeNames().contains(name);
    }

    static String statusClass(int status) {
        return (status / 100) + "xx";
    }

    static String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0).strip();
    }

    private static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    /** {@code &}, {@code <}, {@code >}, {@code "} and {@code '} as character references: safe in text and quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String url(String value) {
        return escape(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
