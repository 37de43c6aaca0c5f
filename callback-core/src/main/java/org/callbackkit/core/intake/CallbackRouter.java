package org.callbackkit.core.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each callback to its endpoint's handler, guards it, and journals what happened.
 *
 * <p>For every request, whatever becomes of it, exactly one {@link JournalEntry} is recorded:
 * <ul>
 *   <li>a path with dot segments or encoded slashes, more query parameters than
 *       {@link Builder#maxQueryParameters(int)}, or a header with control characters: 400;</li>
 *   <li>no endpoint at the path: 404 ({@link CallbackOutcome#NOT_FOUND});</li>
 *   <li>an endpoint at the path, but not for this method: 405 with {@code Allow};</li>
 *   <li>a body (or a declared {@code Content-Length}) over the limit: 413;</li>
 *   <li>a media type the endpoint does not accept: 415;</li>
 *   <li>a probe, carrying {@link #PROBE_HEADER}: 200 with
 *       {@code {"probe":"ok","provider":..,"kind":..,"id":..}}, journaled as accepted with a detail
 *       that says it was a probe; the handler is not called, so no order or listener is touched;</li>
 *   <li>otherwise the handler's answer; {@link InvalidCallbackException} becomes 400,
 *       {@link UnauthenticatedCallbackException} 403, {@link TemporarilyUnavailableException} 503 with
 *       {@code Retry-After}, any other exception 500 with an error id
 *       that is logged with the exception and journaled, never a stack trace.</li>
 * </ul>
 *
 * <p>Built once with {@link #builder()}, then immutable and thread-safe. Framework adapters
 * (such as {@link CallbackServlet}) turn their request into a {@link CallbackRequest} with
 * {@link CallbackRequest#fromRawTarget}, call {@link #dispatch(CallbackRequest)}, and write the
 * answer.
 */
public final class CallbackRouter {

    /**
     * The header that marks a request as a probe (the callback doctor sends it). A probe passes
     * every check a provider's request would (path, method, size, content type, and whatever
     * stands in front of the shop), then is answered by the router itself instead of the
     * handler: no secret is needed and nothing happens to any order. Its value, when it is a short
     * token ({@code [A-Za-z0-9._-]}, up to 64), is echoed as {@code id} so the caller knows the
     * answer is fresh.
     */
    public static final String PROBE_HEADER = JournalEntry.PROBE_HEADER;

    /**
     * The header a re-dispatched request carries ({@link #redispatch(String)}), valued with the
     * journal id of the request it repeats, so that its own journal entry says what it is.
     */
    public static final String REDISPATCH_HEADER = "X-Callback-Kit-Redispatch";

    /** The body limit {@link Builder} uses unless told otherwise: 256 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    /** The query parameter limit {@link Builder} uses unless told otherwise: 100 (Blockonomics, the most, sends 7). */
    public static final int DEFAULT_MAX_QUERY_PARAMETERS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(CallbackRouter.class);
    private static final Pattern PROBE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final List<Route> routes;
    private final Redactor redactor;
    private final CallbackJournal journal;
    private final Clock clock;
    private final int maxBodyBytes;
    private final int maxQueryParameters;
    private final KeptRequests kept;

    private CallbackRouter(Builder builder, List<Route> routes) {
        this.routes = routes;
        // Every endpoint's secret names, for every entry: a request that misses its endpoint (a
        // wrong path, another provider's) may still carry that endpoint's secret header.
        this.redactor = new Redactor(routes.stream().flatMap(route -> route.endpoint().redactedNames().stream())
                .collect(Collectors.toUnmodifiableSet()), builder.fingerprintKey);
        this.journal = builder.journal;
        this.clock = builder.clock;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.maxQueryParameters = builder.maxQueryParameters;
        this.kept = builder.keepFor == null ? null : new KeptRequests(builder.clock, builder.keepFor, builder.keepAtMost);
    }

    /** A builder with the defaults: system clock, an in-memory journal, a 256 KiB body limit. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Routes, guards and handles one callback, journals it, and returns the answer to send.
     * Never throws for anything the request contains. A request built by
     * {@link CallbackRequest#fromRawTarget} from a malformed query is answered 400 here.
     */
    public CallbackResponse dispatch(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        Optional<String> malformed = request.malformed();
        if (malformed.isPresent()) {
            return reject(request, 400, malformed.get());
        }
        String id = newId();
        Optional<String> problem = pathProblem(request.path()).or(() -> queryOrHeaderProblem(request));
        if (problem.isPresent()) {
            return journaled(id, request, null, CallbackResponse.badRequest(problem.get()));
        }
        List<Match> atPath = new ArrayList<>(2);
        List<String> segments = PathTemplate.segmentsOf(request.path());
        try {
            for (Route route : routes) {
                route.template().match(segments).ifPresent(params -> atPath.add(new Match(route.endpoint(), params)));
            }
        } catch (IllegalArgumentException e) {
            return journaled(id, request, null, CallbackResponse.badRequest("malformed percent-encoding in path"));
        }
        if (atPath.isEmpty()) {
            return journaled(id, request, null, CallbackResponse.notFound("no callback endpoint at this path"));
        }
        for (Match match : atPath) {
            if (match.endpoint().methods().contains(request.method())) {
                CallbackResponse response = withDeclaredReferences(match, request, guardAndHandle(id, request, match));
                if (kept != null && response.status() / 100 != 2 && request.headers().first(PROBE_HEADER).isEmpty()) {
                    kept.keep(id, request); // only what may need running again: a refusal
                }
                return journaled(id, request, match.endpoint(), response);
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        atPath.forEach(match -> allowed.addAll(match.endpoint().methods()));
        return journaled(id, request, atPath.get(0).endpoint(),
                CallbackResponse.methodNotAllowed(allowed).withDetail(request.method() + " not allowed"));
    }

    /**
     * Answers and journals a request that an adapter could not even read (e.g. the body stream
     * failed mid-way), so that it is still visible in the journal. The endpoint is looked up by
     * path and method for the journal entry; the handler is not called.
     *
     * @param status a 4xx or 5xx status
     * @param reason a short reason, sent to the caller
     */
    public CallbackResponse reject(CallbackRequest request, int status, String reason) {
        if (status < 400) {
            throw new IllegalArgumentException("reject takes a 4xx or 5xx status: " + status);
        }
        CallbackEndpoint endpoint = routes.stream()
                .filter(r -> r.template().match(request.path()).isPresent())
                .map(Route::endpoint)
                .findFirst().orElse(null);
        return journaled(newId(), request, endpoint, CallbackResponse.error(status, reason));
    }

    /**
     * Dispatches again the request journaled as {@code journalId}, as it arrived (secrets and
     * body included) but received now and carrying {@link #REDISPATCH_HEADER}: for an operator,
     * once the cause of a refusal (a missing order, a wrong setting) is fixed. It is journaled as
     * a new entry. Only a router built with {@link Builder#keepBodies(Duration, int)} can, and
     * only while it keeps that request.
     *
     * @return the new answer, or empty when the request is not kept (never kept, or expired)
     */
    public Optional<CallbackResponse> redispatch(String journalId) {
        Objects.requireNonNull(journalId, "journalId");
        if (kept == null) {
            return Optional.empty();
        }
        return kept.get(journalId).map(original -> dispatch(original.toBuilder()
                .receivedAt(clock.instant())
                .header(REDISPATCH_HEADER, journalId)
                .pathParameters(Map.of())
                .build()));
    }

    /**
     * Until when the request journaled as {@code journalId} is kept for {@link #redispatch(String)};
     * empty when it is not (the router keeps no bodies, or no longer this one).
     */
    public Optional<Instant> keptUntil(String journalId) {
        return kept == null ? Optional.empty() : kept.until(Objects.requireNonNull(journalId, "journalId"));
    }

    /** Whether this router keeps requests for re-dispatch ({@link Builder#keepBodies(Duration, int)}). */
    public boolean keepsBodies() {
        return kept != null;
    }

    /** The body limit in bytes: adapters read at most one byte more. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The clock adapters stamp {@link CallbackRequest#receivedAt()} with. */
    public Clock clock() {
        return clock;
    }

    /** The journal every dispatch is recorded in. */
    public CallbackJournal journal() {
        return journal;
    }

    /** The mounted endpoints, in the order given. */
    public List<CallbackEndpoint> endpoints() {
        return routes.stream().map(Route::endpoint).toList();
    }

    private CallbackResponse guardAndHandle(String id, CallbackRequest request, Match match) {
        CallbackEndpoint endpoint = match.endpoint();
        if (request.bodyLength() > maxBodyBytes || declaredLength(request) > maxBodyBytes) {
            return CallbackResponse.payloadTooLarge(maxBodyBytes);
        }
        if (!endpoint.contentTypes().isEmpty()) {
            Optional<String> type = request.contentType();
            if (type.isEmpty() || !endpoint.contentTypes().contains(type.get())) {
                return CallbackResponse.unsupportedMediaType(endpoint.contentTypes())
                        .withDetail("content type " + type.orElse("(none)"));
            }
        }
        Optional<String> probe = request.headers().first(PROBE_HEADER);
        if (probe.isPresent()) {
            return probeAnswer(endpoint, probe.get());
        }
        try {
            CallbackResponse response = endpoint.handler().handle(request.withPathParameters(match.parameters()));
            if (response == null) {
                LOG.error("Callback {} {}/{}: handler returned no response", id, endpoint.provider(), endpoint.kind());
                return CallbackResponse.internalError(id).withDetail("handler returned no response");
            }
            return response;
        } catch (InvalidCallbackException e) {
            return CallbackResponse.badRequest(e.getMessage());
        } catch (UnauthenticatedCallbackException e) {
            return CallbackResponse.forbidden(e.getMessage());
        } catch (TemporarilyUnavailableException e) {
            // The cause (a database error, say) may quote connection details: its type only, at WARN.
            LOG.warn("Callback {} {}/{} answered 503: {} ({})", id, endpoint.provider(), endpoint.kind(), e.getMessage(),
                    e.getCause() == null ? "no cause" : e.getCause().getClass().getName());
            LOG.debug("Callback {} answered 503 because of", id, e.getCause());
            return CallbackResponse.serviceUnavailable(e.retryAfter()).withDetail(e.getMessage());
        } catch (Throwable e) { // an Error or a sneaky checked exception is still the handler's failure
            LOG.error("Callback {} {}/{} failed", id, endpoint.provider(), endpoint.kind(), e);
            if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
                throw fatal;
            }
            return CallbackResponse.internalError(id).withDetail("handler threw " + e.getClass().getName());
        }
    }

    /**
     * The answer with the values of the endpoint's order reference parameters too: from the path,
     * else the query, else, when the handler named no order (it refused the callback), a top-level
     * string field of a JSON body.
     */
    private static CallbackResponse withDeclaredReferences(Match match, CallbackRequest request,
            CallbackResponse response) {
        CallbackResponse answer = response;
        List<String> inBody = new ArrayList<>();
        for (String name : match.endpoint().orderReferenceParameters()) {
            String value = match.parameters().get(name);
            if (value == null) {
                List<String> values = request.query().get(name);
                value = values == null || values.isEmpty() ? null : values.get(0);
            }
            if (value == null) {
                inBody.add(name);
            } else {
                answer = withReference(answer, value);
            }
        }
        if (!inBody.isEmpty() && response.orderReferences().isEmpty() && request.bodyLength() > 0) {
            try {
                JsonNode body = CallbackJson.readObject(request);
                for (String name : inBody) {
                    JsonNode field = body.get(name);
                    if (field != null && field.isTextual()) {
                        answer = withReference(answer, field.textValue());
                    }
                }
            } catch (RuntimeException e) { // not JSON, or not an object: it names no order
                LOG.debug("no order reference in the body of a refused callback: {}", e.getMessage());
            }
        }
        return answer;
    }

    private static CallbackResponse withReference(CallbackResponse response, String value) {
        return value.strip().length() <= 200 ? response.withOrderReference(value) : response;
    }

    private static CallbackResponse probeAnswer(CallbackEndpoint endpoint, String probeId) {
        String id = PROBE_ID.matcher(probeId).matches() ? probeId : "";
        return CallbackResponse.ok("{\"probe\":\"ok\",\"provider\":" + Json.quote(endpoint.provider())
                        + ",\"kind\":" + Json.quote(endpoint.kind()) + ",\"id\":" + Json.quote(id) + "}")
                .withDetail("probe (" + PROBE_HEADER + "): answered by the router; the handler was not called");
    }

    private CallbackResponse journaled(String id, CallbackRequest request, CallbackEndpoint endpoint,
            CallbackResponse response) {
        Duration latency = Duration.between(request.receivedAt(), clock.instant());
        JournalEntry entry = new JournalEntry(
                id,
                request.receivedAt(),
                endpoint == null ? JournalEntry.UNMATCHED : endpoint.provider(),
                endpoint == null ? JournalEntry.UNMATCHED : endpoint.kind(),
                response.outcome(),
                response.status(),
                latency.isNegative() ? Duration.ZERO : latency,
                request.remoteAddress(),
                request.method(),
                request.path(),
                redactor.redact(request.query()),
                redactor.redact(request.headers().asMap()),
                request.bodyLength(),
                response.detail(),
                response.orderReferences(),
                fingerprints(request),
                answerOf(response));
        try {
            journal.record(entry);
        } catch (RuntimeException e) {
            LOG.error("Callback {}: the journal failed to record it", id, e);
        }
        return response;
    }

    /** The answer as the journal keeps it: headers redacted, the start of a non-2xx body with secret fields masked. */
    private JournalEntry.Answer answerOf(CallbackResponse response) {
        byte[] body = response.bodyWithoutCopy();
        String start = "";
        if (response.status() / 100 != 2 && body.length > 0) {
            // masked before it is cut, so that a secret field cut in two is still masked
            String text;
            try {
                text = redactor.redactJson(new String(body, StandardCharsets.UTF_8));
            } catch (RuntimeException | StackOverflowError e) { // the answer goes out whatever the journal makes of it
                LOG.warn("Could not mask an answer's body for the journal; keeping none of it", e);
                text = "";
            }
            start = text.length() > JournalEntry.Answer.BODY_START_CHARS
                    ? text.substring(0, JournalEntry.Answer.BODY_START_CHARS) : text;
        }
        return new JournalEntry.Answer(redactor.redact(response.headers().asMap()), start, body.length);
    }

    private Map<String, String> fingerprints(CallbackRequest request) {
        Map<String, String> fingerprints = new LinkedHashMap<>(redactor.fingerprints("query:", request.query()));
        fingerprints.putAll(redactor.fingerprints("header:", request.headers().asMap()));
        return fingerprints;
    }

    private static long declaredLength(CallbackRequest request) {
        Optional<String> length = request.headers().first("Content-Length");
        if (length.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(length.get().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * More query parameters than any provider sends (a parameter flood), or a header value with
     * control characters (CR, LF, NUL...: header injection or smuggling through an adapter that
     * let them through). Horizontal tab is allowed, as HTTP allows it.
     */
    private Optional<String> queryOrHeaderProblem(CallbackRequest request) {
        int parameters = 0;
        for (List<String> values : request.query().values()) {
            parameters += values.size();
        }
        if (parameters > maxQueryParameters) {
            return Optional.of("more than " + maxQueryParameters + " query parameters");
        }
        for (Map.Entry<String, List<String>> header : request.headers().asMap().entrySet()) {
            if (hasControlCharacter(header.getKey())) {
                return Optional.of("control characters in a header");
            }
            for (String value : header.getValue()) {
                if (hasControlCharacter(value)) {
                    return Optional.of("control characters in a header");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Dot segments and encoded separators: nothing a provider sends, and a classic path trick. */
    static Optional<String> pathProblem(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\") || lower.contains("%00")
                || lower.contains("%2e")) {
            return Optional.of("encoded separators or dots in path");
        }
        if (path.indexOf(';') >= 0) {
            return Optional.of("path parameters (;) are not accepted");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("dot segments in path");
            }
        }
        if (path.contains("//")) {
            return Optional.of("empty segment in path");
        }
        return Optional.empty();
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    private record Route(CallbackEndpoint endpoint, PathTemplate template) {
    }

    private record Match(CallbackEndpoint endpoint, Map<String, String> parameters) {
    }

    /** Builds a {@link CallbackRouter}; not thread-safe. */
    public static final class Builder {
        private final List<CallbackEndpoint> endpoints = new ArrayList<>();
        private CallbackJournal journal;
        private Clock clock = Clock.systemUTC();
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxQueryParameters = DEFAULT_MAX_QUERY_PARAMETERS;
        private Duration keepFor;
        private int keepAtMost;
        private byte[] fingerprintKey;

        private Builder() {
        }

        /**
         * Keeps each routed request that was not answered 2xx whole (headers with their secrets,
         * and the body) in memory for {@code retention}, at most the newest {@code maxRequests}, so
         * that an operator can re-dispatch one ({@link CallbackRouter#redispatch(String)}) once the cause of its refusal
         * is fixed. Off by default: a body holds personal data and a header the provider's secret.
         * Kept requests are never written to the journal or to disk and are lost on restart;
         * memory used is at most {@code maxRequests} times the body limit. Probes are not kept.
         *
         * @throws IllegalArgumentException if retention is not positive or maxRequests &lt; 1
         */
        public Builder keepBodies(Duration retention, int maxRequests) {
            if (retention == null || retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive: " + retention);
            }
            if (maxRequests < 1) {
                throw new IllegalArgumentException("maxRequests must be >= 1: " + maxRequests);
            }
            this.keepFor = retention;
            this.keepAtMost = maxRequests;
            return this;
        }

        /**
         * The key masked values are hashed under for the journal's compare view ("same" or
         * "different" secret, never the value), instead of a random one per process: give every
         * node the same secret key so that callbacks journaled by different nodes, or before a
         * restart, can be compared. Keep it as secret as the providers' secrets.
         *
         * @throws IllegalArgumentException if shorter than 32 bytes
         */
        public Builder fingerprintKey(byte[] key) {
            if (key == null || key.length < 32) {
                throw new IllegalArgumentException("a fingerprint key has at least 32 bytes");
            }
            this.fingerprintKey = key.clone();
            return this;
        }

        /** Mounts endpoints, e.g. a provider module's {@code endpoints()}. */
        public Builder endpoints(List<CallbackEndpoint> endpoints) {
            endpoints.forEach(this::endpoint);
            return this;
        }

        /** Mounts one endpoint. */
        public Builder endpoint(CallbackEndpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /** Where every dispatch is recorded; default a new {@link InMemoryCallbackJournal}. */
        public Builder journal(CallbackJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The clock for arrival times and latency; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The largest body accepted; default {@value CallbackRouter#DEFAULT_MAX_BODY_BYTES} bytes.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * The most query parameters accepted, counting repeats; default
         * {@value CallbackRouter#DEFAULT_MAX_QUERY_PARAMETERS}. More is answered 400.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxQueryParameters(int maxQueryParameters) {
            if (maxQueryParameters < 0) {
                throw new IllegalArgumentException("maxQueryParameters must not be negative: " + maxQueryParameters);
            }
            this.maxQueryParameters = maxQueryParameters;
            return this;
        }

        /**
         * Builds the router.
         *
         * @throws IllegalStateException if no endpoint is mounted, or two endpoints could answer
         *     the same method at the same path
         */
        public CallbackRouter build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("no endpoints mounted");
            }
            List<Route> routes = endpoints.stream().map(e -> new Route(e, new PathTemplate(e.path()))).toList();
            for (int i = 0; i < routes.size(); i++) {
                for (int j = i + 1; j < routes.size(); j++) {
                    CallbackEndpoint a = routes.get(i).endpoint();
                    CallbackEndpoint b = routes.get(j).endpoint();
                    boolean sharedMethod = a.methods().stream().anyMatch(b.methods()::contains);
                    if (sharedMethod && routes.get(i).template().overlaps(routes.get(j).template())) {
                        throw new IllegalStateException("endpoints " + a.provider() + "/" + a.kind() + " (" + a.path()
                                + ") and " + b.provider() + "/" + b.kind() + " (" + b.path()
                                + ") both answer the same path and method");
                    }
                }
            }
            if (journal == null) {
                journal = new InMemoryCallbackJournal();
            }
            return new CallbackRouter(this, routes);
        }
    }
}
