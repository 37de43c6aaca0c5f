package org.callbackkit.core.journal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.Diagnosis;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;

/**
 * The journal as HTML pages, like a provider's merchant log: a filtered list, one callback in
 * detail with its diagnosis, and two callbacks compared. Transport-neutral: {@link JournalServlet}
 * feeds it query parameters and writes what it renders. Every value shown is HTML-escaped; the
 * pages hold no script at all.
 */
final class JournalPage {

    /** What to send: a status and an HTML document. */
    record Rendered(int status, String html) {
    }

    static final List<String> STATUS_CLASSES = List.of("2xx", "3xx", "4xx", "5xx");
    private static final int DEFAULT_LIMIT = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f6f8fa}.status{color:#fff;font-weight:bold;text-align:center}
            .ok{background:#1a7f37}.bad{background:#cf222e}.diff td{background:#fff8c5}.diff td.name{font-weight:bold}
            code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}form{margin:.5em 0}
            """;

    private final CallbackJournal journal;
    private final StatusClassifier classifier;
    private final int scanLimit;

    JournalPage(CallbackJournal journal, StatusClassifier classifier, int scanLimit) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.scanLimit = scanLimit;
    }

    /** The list, filtered by {@code provider}, {@code kind}, {@code outcome}, {@code status} (a class) and {@code limit}. */
    Rendered list(Map<String, List<String>> params) {
        String provider = param(params, "provider");
        String kind = param(params, "kind");
        String outcome = param(params, "outcome");
        String status = param(params, "status");
        int limit;
        try {
            limit = param(params, "limit").isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(param(params, "limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || (!outcome.isEmpty() && !isOutcome(outcome)) || (!status.isEmpty() && !STATUS_CLASSES.contains(status))) {
            return error(400, "Bad filter", "Filter with provider, kind, outcome (" + String.join(", ",
                    outcomeNames()) + "), status (" + String.join(", ", STATUS_CLASSES) + ") and a positive limit.");
        }
        List<JournalEntry> all = journal.find(JournalQuery.builder().limit(scanLimit).build());
        JournalQuery.Builder query = JournalQuery.builder().limit(scanLimit);
        if (!provider.isEmpty()) {
            query.provider(provider);
        }
        if (!kind.isEmpty()) {
            query.kind(kind);
        }
        if (!outcome.isEmpty()) {
            query.outcomes(CallbackOutcome.valueOf(outcome));
        }
        JournalQuery filter = query.build();
        List<JournalEntry> shown = all.stream()
                .filter(filter::matches)
                .filter(e -> status.isEmpty() || statusClass(e.status()).equals(status))
                .limit(limit)
                .toList();

        StringBuilder html = new StringBuilder();
        html.append("<h1>Callback journal</h1>\n<form method=\"get\" action=\"./\" id=\"filters\">\n");
        html.append(select("provider", "Provider", provider, values(all, JournalEntry::provider)));
        html.append(select("kind", "Kind", kind, values(all, JournalEntry::kind)));
        html.append(select("outcome", "Outcome", outcome, outcomeNames()));
        html.append(select("status", "Status", status, STATUS_CLASSES));
        html.append("<button type=\"submit\" id=\"filter\">Filter</button> <a href=\"./\">All</a>\n</form>\n");
        html.append("<p id=\"count\">").append(shown.size()).append(shown.size() == 1 ? " callback" : " callbacks")
                .append(", newest first.</p>\n");
        long dropped = journal.dropped();
        if (dropped > 0) {
            html.append("<p id=\"dropped\"><strong>").append(dropped).append(dropped == 1 ? " callback is" : " callbacks are")
                    .append(" missing from this journal</strong>: the database could not take them during an outage and"
                            + " the spool that waits for it was full. They were answered; look for them in the"
                            + " provider's own log.</p>\n");
        }
        html.append("<form method=\"get\" action=\"compare\" id=\"compare-form\">\n<table id=\"journal\">\n<thead><tr>"
                + "<th>Compare</th><th>Time (UTC)</th><th>Provider</th><th>Kind</th><th>Status</th><th>Outcome</th>"
                + "<th>Latency</th><th>Request</th></tr></thead>\n<tbody>\n");
        for (JournalEntry entry : shown) {
            html.append("<tr class=\"entry\" data-id=\"").append(escape(entry.id())).append("\">")
                    .append("<td><input type=\"checkbox\" name=\"id\" value=\"").append(escape(entry.id())).append("\"></td>")
                    .append("<td><a class=\"detail\" href=\"entry?id=").append(url(entry.id())).append("\">")
                    .append(escape(TIME.format(entry.receivedAt()))).append("</a></td>")
                    .append("<td class=\"provider\">").append(escape(entry.provider())).append("</td>")
                    .append("<td class=\"kind\">").append(escape(entry.kind())).append("</td>")
                    .append(statusCell(entry.status()))
                    .append("<td class=\"outcome\">").append(escape(entry.outcome().name())).append("</td>")
                    .append("<td>").append(entry.latency().toMillis()).append(" ms</td>")
                    .append("<td><code>").append(escape(entry.method() + " " + entry.path())).append("</code></td></tr>\n");
        }
        html.append("</tbody>\n</table>\n<button type=\"submit\" id=\"compare\">Compare the two checked</button>\n</form>\n");
        return new Rendered(200, document("Callback journal", html.toString()));
    }

    /** One callback: the redacted request, the answer, and the classifier's diagnosis. */
    Rendered detail(Map<String, List<String>> params) {
        Optional<JournalEntry> found = find(param(params, "id"));
        if (found.isEmpty()) {
            return error(404, "No such callback", "The journal holds no callback with this id (the journal keeps a "
                    + "bounded number of entries).");
        }
        JournalEntry entry = found.get();
        Diagnosis diagnosis = classifier.classify(attemptOf(entry));
        StringBuilder html = new StringBuilder();
        html.append("<p><a href=\"./\">Back to the journal</a></p>\n<h1>Callback ").append(escape(entry.id())).append("</h1>\n");
        html.append("<h2>Request</h2>\n<table id=\"request\">\n");
        row(html, "Received", TIME.format(entry.receivedAt()) + " UTC");
        row(html, "Provider / kind", entry.provider() + " / " + entry.kind());
        row(html, "Remote address", entry.remoteAddress());
        row(html, "Method", entry.method());
        row(html, "Path", entry.path());
        entry.query().forEach((name, values) -> row(html, "Query " + name, String.join(", ", values)));
        entry.headers().forEach((name, values) -> row(html, "Header " + name, String.join(", ", values)));
        row(html, "Body", entry.bodyBytes() + " bytes (not kept)");
        html.append("</table>\n<h2>Answer</h2>\n<table id=\"answer\">\n");
        html.append("<tr><th>Status</th>").append(statusCell(entry.status())).append("</tr>\n");
        row(html, "Outcome", entry.outcome().name());
        row(html, "Latency", entry.latency().toMillis() + " ms");
        row(html, "Detail", entry.detail());
        html.append("</table>\n<h2>Diagnosis</h2>\n<div id=\"diagnosis\">\n<p><strong class=\"verdict\">")
                .append(escape(diagnosis.verdict().name())).append("</strong>")
                .append(diagnosis.firewall().map(f -> " (firewall: " + escape(f) + ")").orElse(""))
                .append(": ").append(escape(diagnosis.summary())).append("</p>\n<ol>\n");
        diagnosis.nextSteps().forEach(step -> html.append("<li>").append(escape(step)).append("</li>\n"));
        html.append("</ol>\n");
        if (entry.outcome() == CallbackOutcome.NO_ORDER) {
            html.append("<p id=\"no-order\">Not a failure: the callback was authentic, but the shop has no order for "
                    + "it (a payment to an address no order uses). It never reached the shop's listener.</p>\n");
        }
        html.append("<p>This callback reached the shop: the router recorded it. Compare it with one that worked "
                + "to see what differs.</p>\n</div>\n");
        return new Rendered(200, document("Callback " + entry.id(), html.toString()));
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
        Map<String, String> a = comparable(first.get());
        Map<String, String> b = comparable(second.get());
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(a.keySet());
        names.addAll(b.keySet());
        List<String> ordered = new ArrayList<>(a.keySet());
        names.stream().filter(n -> !a.containsKey(n)).forEach(ordered::add);
        StringBuilder html = new StringBuilder();
        html.append("<p><a href=\"./\">Back to the journal</a></p>\n<h1>Compare two callbacks</h1>\n")
                .append("<p>Rows that differ are highlighted.</p>\n<table id=\"comparison\">\n<thead><tr><th></th><th>")
                .append("<a href=\"entry?id=").append(url(first.get().id())).append("\">").append(escape(first.get().id()))
                .append("</a></th><th><a href=\"entry?id=").append(url(second.get().id())).append("\">")
                .append(escape(second.get().id())).append("</a></th></tr></thead>\n<tbody>\n");
        html.append("<tr class=\"same\"><td class=\"name\">Received</td><td>")
                .append(escape(TIME.format(first.get().receivedAt()))).append("</td><td>")
                .append(escape(TIME.format(second.get().receivedAt()))).append("</td></tr>\n");
        for (String name : ordered) {
            String left = a.getOrDefault(name, "(absent)");
            String right = b.getOrDefault(name, "(absent)");
            html.append("<tr class=\"").append(left.equals(right) ? "same" : "diff").append("\"><td class=\"name\">")
                    .append(escape(name)).append("</td><td>").append(escape(left)).append("</td><td>")
                    .append(escape(right)).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        return new Rendered(200, document("Compare two callbacks", html.toString()));
    }

    /** A page that says only {@code message}, with {@code status}. */
    static Rendered error(int status, String title, String message) {
        return new Rendered(status, document(title, "<h1>" + escape(title) + "</h1>\n<p id=\"message\">" + escape(message)
                + "</p>\n"));
    }

    /**
     * The attempt the journal entry stands for, for the classifier: the status the shop answered
     * and, for the router's error answers, their JSON body (the journal keeps the reason as the
     * entry's detail and a 500's error id as the entry's id), rebuilt by the same
     * {@link CallbackResponse} factories the router answered with.
     */
    static DeliveryAttempt attemptOf(JournalEntry entry) {
        DeliveryAttempt.Builder attempt = DeliveryAttempt.builder(entry.provider(), entry.kind())
                .attemptedAt(entry.receivedAt()).status(entry.status());
        if (entry.status() >= 400) {
            attempt.headers(CallbackHeaders.of("Content-Type", "application/json"))
                    .bodyStart(entry.status() == 500 && entry.outcome() == CallbackOutcome.FAILED
                            ? CallbackResponse.internalError(entry.id()).bodyAsString()
                            : CallbackResponse.error(entry.status(), entry.detail()).bodyAsString());
        }
        return attempt.build();
    }

    private Optional<JournalEntry> find(String id) {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return journal.find(JournalQuery.builder().limit(scanLimit).build()).stream()
                .filter(entry -> entry.id().equals(id)).findFirst();
    }

    /** What the compare view lines up: request and answer, header names ignoring case. */
    private static Map<String, String> comparable(JournalEntry entry) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Provider", entry.provider());
        values.put("Kind", entry.kind());
        values.put("Remote address", entry.remoteAddress());
        values.put("Method", entry.method());
        values.put("Path", entry.path());
        new TreeMap<>(entry.query()).forEach((name, v) -> values.put("Query " + name, String.join(", ", v)));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(entry.headers());
        headers.forEach((name, v) -> values.put("Header " + name.toLowerCase(Locale.ROOT), String.join(", ", v)));
        values.put("Body bytes", Long.toString(entry.bodyBytes()));
        values.put("Status", Integer.toString(entry.status()));
        values.put("Outcome", entry.outcome().name());
        values.put("Detail", entry.detail());
        return values;
    }

    private static String statusCell(int status) {
        return "<td class=\"status " + (status / 100 == 2 ? "ok" : "bad") + "\">" + status + "</td>";
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td><code>").append(escape(value)).append("</code></td></tr>\n");
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

    private static List<String> values(List<JournalEntry> entries, Function<JournalEntry, String> field) {
        return entries.stream().map(field).distinct().sorted().toList();
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

    private static String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0).strip();
    }

    private static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
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
