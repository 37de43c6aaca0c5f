package org.callbackkit.ecster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EcsterApi} over HTTPS with {@link HttpClient}: the keys in {@code x-api-key} and
 * {@code x-merchant-key}, a connect timeout, and a timeout on each whole answer, body included.
 * Failures become {@link EcsterApiException}s that say whether a retry can help. Logs and
 * messages name the call and the order, never the keys. Thread-safe.
 */
final class EcsterHttpApi implements EcsterApi {

    private static final Logger LOG = LoggerFactory.getLogger(EcsterHttpApi.class);

    private final URI baseUri;
    private final EcsterCredentials credentials;
    private final Duration readTimeout;
    private final HttpClient http;

    EcsterHttpApi(URI baseUri, EcsterCredentials credentials, Duration connectTimeout, Duration readTimeout) {
        String base = baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.credentials = credentials;
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public EcsterOrder getOrder(String ecsterOrderId) {
        String path = "v1/orders/" + Checks.requireId(ecsterOrderId, "Ecster order id");
        String call = "Ecster GET /" + path;
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(readTimeout)
                .header("x-api-key", credentials.apiKey())
                .header("x-merchant-key", credentials.merchantKey())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json") // as Ecster's own examples send it
                .header("User-Agent", "callback-kit-ecster")
                .GET()
                .build();
        HttpResponse<String> response = send(request, call, ecsterOrderId);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            EcsterApiException failure = new EcsterApiException(call + " answered " + status + problem(response.body()),
                    ecsterOrderId, status, EcsterApiException.retryableStatus(status), null);
            LOG.warn("{}", failure.getMessage());
            throw failure;
        }
        try {
            EcsterOrder order = EcsterOrder.parse(response.body());
            if (!order.id().equals(ecsterOrderId)) {
                throw new IllegalArgumentException("answer is for order " + Checks.printable(order.id()));
            }
            return order;
        } catch (IllegalArgumentException e) {
            throw new EcsterApiException(call + " answered an unusable order: " + e.getMessage(), ecsterOrderId, 0, false,
                    e);
        }
    }

    /** Sends and waits for the whole answer: the request timeout alone ends at the headers on JDK 17. */
    private HttpResponse<String> send(HttpRequest request, String call, String ecsterOrderId) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new EcsterApiException(call + " timed out after " + readTimeout.toMillis() + " ms", ecsterOrderId, 0,
                    true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof HttpTimeoutException ? " timed out" : " failed: " + cause.getClass().getName();
            throw new EcsterApiException(call + what, ecsterOrderId, 0, true, cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new EcsterApiException(call + " was interrupted", ecsterOrderId, 0, true, e);
        }
    }

    /** Ecster's error {@code title} and {@code detail}, when the body is such JSON. */
    private static String problem(String body) {
        try {
            JsonNode error = Checks.MAPPER.readTree(body);
            if (error != null && error.isObject()) {
                String title = Checks.text(error, "title");
                String detail = Checks.text(error, "detail");
                String text = (title + (detail.isEmpty() ? "" : ": " + detail)).trim();
                return text.isEmpty() ? "" : " " + Checks.printable(text);
            }
        } catch (IOException notJson) {
            // an HTML page from a proxy: the status says enough
        }
        return "";
    }
}
