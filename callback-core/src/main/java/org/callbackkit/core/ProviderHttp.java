package org.callbackkit.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a provider's API client, shared by the provider modules: one JDK
 * {@link HttpClient} that never follows redirects, a deadline on each whole answer (the JDK's
 * request timeout alone ends at the headers, so a trickling answer could hold an order's key), and
 * every failure turned into a {@link ProviderApiException} that says whether a retry can help.
 * Logs name the call and the order, never a header's value. Thread-safe.
 */
public final class ProviderHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a provider's error body said, each part null when absent. */
    public record Problem(String errorCode, String correlationId, String text) {

        /** Nothing usable: an HTML page from a proxy, or an empty body. */
        public static final Problem NONE = new Problem(null, null, null);
    }

    private final String provider;
    private final URI baseUri;
    private final Duration readTimeout;
    private final HttpClient http;
    private final ProviderApiListener listener;
    private final OrderActivityRecorder journal;
    private final Clock clock;
    /** Whether the journal said it keeps no activity: said once in the log, then not asked again. */
    private volatile boolean journalRefuses;

    /**
     * An HTTP side that tells no listener.
     *
     * @param provider the provider's name, for messages and the {@code User-Agent}
     * @param baseUri the API base; a path is resolved against it
     * @throws IllegalArgumentException if the base is not {@linkplain #requireApiBase allowed}, or a timeout is not positive
     */
    public ProviderHttp(String provider, URI baseUri, Duration connectTimeout, Duration readTimeout) {
        this(provider, baseUri, connectTimeout, readTimeout, null);
    }

    /**
     * An HTTP side that tells {@code listener} of every call {@link #send} makes.
     *
     * @param provider the provider's name, for messages, the {@code User-Agent} and {@link ProviderApiCall#provider()}
     * @param baseUri the API base; a path is resolved against it
     * @param listener told of every call, or null for none
     * @throws IllegalArgumentException if the base is not {@linkplain #requireApiBase allowed}, or a timeout is not positive
     */
    public ProviderHttp(String provider, URI baseUri, Duration connectTimeout, Duration readTimeout,
            ProviderApiListener listener) {
        this(provider, baseUri, connectTimeout, readTimeout, listener, null, Clock.systemUTC());
    }

    /**
     * An HTTP side that tells {@code listener} of every call {@link #send} makes, and records each
     * call with {@code journal} under the order it is about: when and how long it took (both read
     * from {@code clock}, as the journal's entries are), the operation (method and path template,
     * no query), and the status or why no answer came. Never a body, a header or a credential.
     *
     * @param listener told of every call, or null for none
     * @param journal records every call that names an order, or null for none
     * @param clock stamps the calls recorded
     * @throws IllegalArgumentException if the base is not {@linkplain #requireApiBase allowed}, or a timeout is not positive
     */
    public ProviderHttp(String provider, URI baseUri, Duration connectTimeout, Duration readTimeout,
            ProviderApiListener listener, OrderActivityRecorder journal, Clock clock) {
        this.listener = listener;
        this.journal = journal;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.provider = Objects.requireNonNull(provider, "provider");
        String base = requireApiBase(baseUri).toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.readTimeout = requirePositive(readTimeout, "readTimeout");
        this.http = HttpClient.newBuilder()
                .connectTimeout(requirePositive(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Checks an API base: an absolute https URI, or plain http on loopback only (a local fake),
     * since credentials travel with every call.
     *
     * @return the base
     * @throws IllegalArgumentException if it is neither
     */
    public static URI requireApiBase(URI baseUri) {
        String scheme = Objects.requireNonNull(baseUri, "baseUri").getScheme();
        String host = baseUri.getHost();
        boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
        if (host == null || !("https".equals(scheme) || "http".equals(scheme) && loopback)) {
            throw new IllegalArgumentException("API base must be an absolute https URI (http on loopback only): " + baseUri);
        }
        return baseUri;
    }

    /**
     * Checks a timeout.
     *
     * @return the timeout
     * @throws IllegalArgumentException if null, zero or negative
     */
    public static Duration requirePositive(Duration timeout, String name) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + timeout);
        }
        return timeout;
    }

    /** The API base, ending in {@code /}. */
    public URI baseUri() {
        return baseUri;
    }

    /** A request for {@code path} below the base, with the answer's deadline, {@code Accept} and {@code User-Agent} set. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(readTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "callback-kit-" + provider);
    }

    /**
     * Sends and waits for the whole answer, whatever its status, then tells the listener (if any)
     * of the call, its {@linkplain #operation operation} and status (0 when no answer came), and
     * records it with the journal (if any) under {@code orderKey}, with why no answer came.
     *
     * @param call names the call in messages, e.g. {@code Ecster GET /v1/orders/abc}
     * @param orderKey the order the call is about; where it stands as a segment of the request's
     *     path, the listener is told {@code {id}} instead
     * @throws ProviderApiException on a timeout, a connection failure or an interrupt (status 0, retryable)
     */
    public HttpResponse<String> send(HttpRequest request, String call, String orderKey) {
        Instant sent = clock.instant();
        long start = System.nanoTime();
        int status = 0;
        String failure = "";
        try {
            HttpResponse<String> response = sendAndWait(request, call, orderKey);
            status = response.statusCode();
            return response;
        } catch (ProviderApiException e) { // the message starts with the call, which the record names already
            failure = e.getMessage().startsWith(call) ? e.getMessage().substring(call.length()).strip() : e.getMessage();
            throw e;
        } finally {
            tell(request, orderKey, status, Duration.ofNanos(System.nanoTime() - start));
            record(request, orderKey, sent, status, failure, Duration.between(sent, clock.instant()));
        }
    }

    private void tell(HttpRequest request, String orderKey, int status, Duration duration) {
        if (listener == null) {
            return;
        }
        try {
            listener.onCall(new ProviderApiCall(provider, operation(request, orderKey), status, duration));
        } catch (RuntimeException e) {
            LOG.warn("{} API listener failed; the call goes on", provider, e);
        }
    }

    private void record(HttpRequest request, String orderKey, Instant sent, int status, String failure,
            Duration duration) {
        if (journal == null || journalRefuses || orderKey == null || orderKey.isBlank()) {
            return;
        }
        try {
            journal.recordActivity(OrderActivity.apiCall(orderKey, sent, provider, operation(request, orderKey), status,
                    failure, duration));
        } catch (UnsupportedOperationException e) {
            journalRefuses = true;
            LOG.warn("{} API calls are not recorded: the journal keeps no order activity ({})", provider, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} API call for order {} could not be recorded; the call goes on", provider, orderKey, e);
        }
    }

    /**
     * The bounded name of a request: its method and its path below the API base, with every
     * segment that is the order's key, or looks like an id (16 characters or more, with a digit),
     * replaced by {@code {id}}, and without the query: {@code GET /ordermanagement/v1/orders/{id}}.
     */
    String operation(HttpRequest request, String orderKey) {
        String path = request.uri().getRawPath();
        String base = baseUri.getRawPath();
        if (path == null) {
            path = "";
        } else if (base != null && path.startsWith(base)) {
            path = path.substring(base.length()); // the base ends in '/': what is left does not start with one
        }
        StringBuilder template = new StringBuilder(request.method()).append(' ');
        for (String segment : path.split("/", -1)) {
            template.append('/').append(isId(segment, orderKey) ? "{id}" : segment);
        }
        return template.toString();
    }

    private static boolean isId(String segment, String orderKey) {
        if (segment.isEmpty()) {
            return false;
        }
        if (orderKey != null && (segment.equals(orderKey)
                || segment.equals(java.net.URLEncoder.encode(orderKey, StandardCharsets.UTF_8)))) {
            return true;
        }
        return segment.length() >= 16 && segment.chars().anyMatch(Character::isDigit);
    }

    private HttpResponse<String> sendAndWait(HttpRequest request, String call, String orderKey) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw failure(call + " timed out after " + readTimeout.toMillis() + " ms", orderKey, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof HttpTimeoutException ? " timed out" : " failed: " + cause.getClass().getName();
            throw failure(call + what, orderKey, cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(call + " was interrupted", orderKey, e);
        }
    }

    /**
     * Sends, and returns the body of a 2xx answer: {@link #send} then {@link #requireSuccess}.
     *
     * @throws ProviderApiException as those two do
     */
    public String sendForBody(HttpRequest request, String call, String orderKey, Function<JsonNode, Problem> problem) {
        return requireSuccess(send(request, call, orderKey), call, orderKey, problem);
    }

    /**
     * The body of a 2xx answer.
     *
     * @param problem reads the provider's error body of any other answer
     * @throws ProviderApiException for any other status (retryable per {@link ProviderApiException#retryableStatus}),
     *     with the provider's error code, text and correlation id
     */
    public String requireSuccess(HttpResponse<String> response, String call, String orderKey,
            Function<JsonNode, Problem> problem) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        Problem said = read(response.body(), problem);
        ProviderApiException failure = new ProviderApiException(call + " answered " + status
                + (said.errorCode() == null ? "" : " " + said.errorCode())
                + (said.text() == null || said.text().isEmpty() ? "" : (said.errorCode() == null ? " " : ": ") + said.text())
                + (said.correlationId() == null ? "" : " (correlation id " + said.correlationId() + ")"),
                provider, orderKey, status, said.errorCode(), said.correlationId(),
                ProviderApiException.retryableStatus(status), null);
        LOG.warn("{}", failure.getMessage());
        throw failure;
    }

    /** The failure of an answer that came but cannot be used (not the order asked for, not JSON): not retryable. */
    public ProviderApiException unusable(String call, String orderKey, String what, Throwable cause) {
        return new ProviderApiException(call + " answered " + what, provider, orderKey, 0, null, null, false, cause);
    }

    private ProviderApiException failure(String message, String orderKey, Throwable cause) {
        return new ProviderApiException(message, provider, orderKey, 0, null, null, true, cause);
    }

    private static Problem read(String body, Function<JsonNode, Problem> problem) {
        try {
            JsonNode json = MAPPER.readTree(body);
            return json != null && json.isObject() ? problem.apply(json) : Problem.NONE;
        } catch (IOException notJson) {
            return Problem.NONE; // an HTML page from a proxy: the status says enough
        }
    }
}
