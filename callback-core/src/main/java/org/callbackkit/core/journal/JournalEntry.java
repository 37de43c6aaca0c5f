package org.callbackkit.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.core.intake.CallbackOutcome;

/**
 * What the journal keeps of one callback: enough to answer "did it reach the shop, and what did
 * the shop say?" without keeping secrets. Values of secret-like query parameters and headers are
 * already masked; the body itself is not kept, only its size.
 *
 * @param id unique id; a 500 answer carries the same id, and so does the logged exception
 * @param receivedAt when the callback arrived
 * @param provider the matched endpoint's provider, or {@link #UNMATCHED}
 * @param kind the matched endpoint's kind, or {@link #UNMATCHED}
 * @param outcome what became of it
 * @param status the HTTP status answered
 * @param latency time from arrival to answer
 * @param remoteAddress the caller's address as the adapter saw it
 * @param method the HTTP method
 * @param path the request path
 * @param query the query parameters, secret-like values masked
 * @param headers the request headers, secret-like values masked
 * @param bodyBytes the body size in bytes
 * @param detail the operator's note: why it was rejected, what was scheduled; may be empty
 * @param orderReferences what the provider module said the callback is about: the provider's
 *     order id (Klarna, Ecster), purchase id (Avarda), address and transaction id (Blockonomics);
 *     empty when the handler named none or was not called. Searchable with
 *     {@link JournalQuery.Builder#orderReference(String)}.
 * @param maskedFingerprints for each masked value, a short keyed hash of it (never the value), so
 *     that two entries can be told to carry the same or a different secret: keyed
 *     {@code query:<name>} and {@code header:<name>}, names as received; the hash is
 *     {@code <key id>.<hash>}, and hashes made under different key ids (another process) cannot be
 *     compared. Empty when nothing was masked.
 * @param answer what the shop answered besides the status: headers, and the start of a non-2xx
 *     body; {@link Answer#UNKNOWN} for entries recorded before answers were kept
 */
public record JournalEntry(
        String id,
        Instant receivedAt,
        String provider,
        String kind,
        CallbackOutcome outcome,
        int status,
        Duration latency,
        String remoteAddress,
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        long bodyBytes,
        String detail,
        List<String> orderReferences,
        Map<String, String> maskedFingerprints,
        Answer answer) {

    /** Provider and kind of a request that matched no endpoint. */
    public static final String UNMATCHED = "-";

    /** The header that marks a probe; the same as {@code CallbackRouter.PROBE_HEADER}. */
    public static final String PROBE_HEADER = "X-Callback-Kit-Probe";

    /** @throws NullPointerException if a required component is null */
    public JournalEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
        remoteAddress = Objects.requireNonNullElse(remoteAddress, "");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = copy(query);
        headers = copy(headers);
        detail = Objects.requireNonNullElse(detail, "");
        orderReferences = orderReferences == null ? List.of() : List.copyOf(orderReferences);
        maskedFingerprints = maskedFingerprints == null ? Map.of() : Map.copyOf(maskedFingerprints);
        answer = answer == null ? Answer.UNKNOWN : answer;
    }

    /**
     * What the shop answered besides the status, as the journal keeps it.
     *
     * @param headers the answer's headers, secret-like values masked
     * @param bodyStart the first {@value #BODY_START_CHARS} characters of a non-2xx body (the
     *     reason an operator needs), values of secret-like JSON fields masked; empty for a 2xx,
     *     whose body may echo the shopper's order (a Klarna update), and for no body
     * @param bodyBytes the body's size in bytes; -1 when unknown
     */
    public record Answer(Map<String, List<String>> headers, String bodyStart, long bodyBytes) {

        /** How much of a non-2xx body is kept. */
        public static final int BODY_START_CHARS = 1024;

        /** The answer of an entry recorded before answers were kept. */
        public static final Answer UNKNOWN = new Answer(Map.of(), "", -1);

        /** @throws NullPointerException if a component is null */
        public Answer {
            headers = copy(headers);
            Objects.requireNonNull(bodyStart, "bodyStart");
        }

        /** Whether the answer was kept (false for entries recorded before answers were). */
        public boolean known() {
            return bodyBytes >= 0;
        }
    }

    /**
     * An entry with fingerprints but without its answer's headers and body.
     *
     * @throws NullPointerException if a required component is null
     */
    public JournalEntry(String id, Instant receivedAt, String provider, String kind, CallbackOutcome outcome, int status,
            Duration latency, String remoteAddress, String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers, long bodyBytes, String detail, List<String> orderReferences,
            Map<String, String> maskedFingerprints) {
        this(id, receivedAt, provider, kind, outcome, status, latency, remoteAddress, method, path, query, headers,
                bodyBytes, detail, orderReferences, maskedFingerprints, Answer.UNKNOWN);
    }

    /**
     * An entry without fingerprints of its masked values.
     *
     * @throws NullPointerException if a required component is null
     */
    public JournalEntry(String id, Instant receivedAt, String provider, String kind, CallbackOutcome outcome, int status,
            Duration latency, String remoteAddress, String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers, long bodyBytes, String detail, List<String> orderReferences) {
        this(id, receivedAt, provider, kind, outcome, status, latency, remoteAddress, method, path, query, headers,
                bodyBytes, detail, orderReferences, Map.of(), Answer.UNKNOWN);
    }

    /**
     * An entry without order references, as recorded before entries carried them.
     *
     * @throws NullPointerException if a required component is null
     */
    public JournalEntry(String id, Instant receivedAt, String provider, String kind, CallbackOutcome outcome, int status,
            Duration latency, String remoteAddress, String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers, long bodyBytes, String detail) {
        this(id, receivedAt, provider, kind, outcome, status, latency, remoteAddress, method, path, query, headers,
                bodyBytes, detail, List.of(), Map.of(), Answer.UNKNOWN);
    }

    /**
     * Whether the request was a probe: it carried {@link #PROBE_HEADER} (the callback doctor sends
     * it), whatever the router answered. The journal page hides probes unless asked to show them.
     */
    public boolean probe() {
        for (String name : headers.keySet()) {
            if (PROBE_HEADER.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The same entry with {@code orderReferences} instead of its own. */
    public JournalEntry withOrderReferences(List<String> orderReferences) {
        return new JournalEntry(id, receivedAt, provider, kind, outcome, status, latency, remoteAddress, method, path,
                query, headers, bodyBytes, detail, orderReferences, maskedFingerprints, answer);
    }

    /** A hash map capacity that holds {@code size} entries without growing (a copy per callback). */
    private static int capacityFor(int size) {
        return Math.max(16, (int) (size / 0.75f) + 1);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>(capacityFor(map.size()));
        map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
