package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KlarnaApi} over HTTPS with {@link HttpClient}: Basic auth with the merchant's
 * credentials, a connect timeout, and a timeout for each whole answer, body included. Acknowledge
 * and merchant-reference calls carry a {@code Klarna-Idempotency-Key} derived from the order, so
 * a retry after a lost answer is not applied twice. Non-2xx answers become
 * {@link KlarnaApiException} carrying Klarna's error code, messages and correlation id. Order ids
 * are checked before they reach a URL. Logs name the call, the order and the correlation id, never
 * the credentials. Thread-safe.
 */
public final class KlarnaHttpApi implements KlarnaApi {

    private static final Logger LOG = LoggerFactory.getLogger(KlarnaHttpApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER_AGENT = "callback-kit-klarna";

    private final URI baseUri;
    private final String authorization;
    private final Duration readTimeout;
    private final HttpClient http;

    private KlarnaHttpApi(Builder builder) {
        String base = builder.baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.authorization = builder.credentials.basicAuthorization();
        this.readTimeout = builder.readTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A builder: base URI and credentials are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The API base this client calls. */
    public URI baseUri() {
        return baseUri;
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public KlarnaOrder getOrder(String orderId) {
        return order(orderId, "ordermanagement/v1/orders/" + Checks.requireOrderId(orderId));
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public void acknowledge(String orderId) {
        send(orderId, "POST", "ordermanagement/v1/orders/" + Checks.requireOrderId(orderId) + "/acknowledge", null,
                idempotencyKey("acknowledge", orderId));
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public void setMerchantReferences(String orderId, String merchantReference1, String merchantReference2) {
        Objects.requireNonNull(merchantReference1, "merchantReference1");
        ObjectNode body = MAPPER.createObjectNode().put("merchant_reference1", merchantReference1);
        if (merchantReference2 != null) {
            body.put("merchant_reference2", merchantReference2);
        }
        send(orderId, "PATCH", "ordermanagement/v1/orders/" + Checks.requireOrderId(orderId) + "/merchant-references",
                body.toString(), idempotencyKey("merchant-references", orderId + "\n" + body));
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public KlarnaOrder getCheckoutOrder(String orderId) {
        return order(orderId, "checkout/v3/orders/" + Checks.requireOrderId(orderId));
    }

    /** The same key for the same call on the same order: Klarna applies it once. */
    private static String idempotencyKey(String call, String what) {
        return UUID.nameUUIDFromBytes((call + "\n" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private KlarnaOrder order(String orderId, String path) {
        String body = send(orderId, "GET", path, null, null);
        try {
            KlarnaOrder order = KlarnaOrder.parse(body);
            if (!order.orderId().equals(orderId)) {
                throw new IllegalArgumentException("answer is for order " + order.orderId());
            }
            return order;
        } catch (IllegalArgumentException e) {
            throw new KlarnaApiException("Klarna GET /" + path + " for order " + orderId + " answered an unusable order: "
                    + e.getMessage(), 200, null, List.of(), null, false, e);
        }
    }

    private String send(String orderId, String method, String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(readTimeout)
                .header("Authorization", authorization)
                .header("User-Agent", USER_AGENT)
                .header("Accept", "application/json");
        if (idempotencyKey != null) {
            request.header("Klarna-Idempotency-Key", idempotencyKey);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        String call = "Klarna " + method + " /" + path;
        HttpResponse<String> response;
        // The request timeout ends at the answer's headers on JDK 17; waiting on the future bounds
        // the body too, so a trickling answer cannot hold the order's lock.
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            response = answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new KlarnaApiException(call + " for order " + orderId + " timed out", 0, null, List.of(), null, true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof HttpTimeoutException ? " timed out" : " failed: " + cause.getClass().getName();
            throw new KlarnaApiException(call + " for order " + orderId + what, 0, null, List.of(), null, true, cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new KlarnaApiException(call + " for order " + orderId + " was interrupted", 0, null, List.of(), null, true,
                    e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        KlarnaApiException failure = failure(call, orderId, status, response.body());
        LOG.warn("{}", failure.getMessage());
        throw failure;
    }

    private static KlarnaApiException failure(String call, String orderId, int status, String body) {
        String errorCode = null;
        String correlationId = null;
        List<String> messages = new ArrayList<>();
        try {
            JsonNode error = MAPPER.readTree(body);
            if (error != null && error.isObject()) {
                errorCode = error.path("error_code").isTextual() ? Checks.printable(error.get("error_code").asText()) : null;
                correlationId = error.path("correlation_id").isTextual()
                        ? Checks.printable(error.get("correlation_id").asText())
                        : null;
                error.path("error_messages").forEach(m -> messages.add(Checks.printable(m.asText())));
            }
        } catch (IOException notJson) {
            // An HTML error page from a proxy: keep the status only.
        }
        boolean retryable = KlarnaApiException.retryableStatus(status);
        String message = call + " for order " + orderId + " answered " + status
                + (errorCode == null ? "" : " " + errorCode)
                + (messages.isEmpty() ? "" : ": " + String.join("; ", messages))
                + (correlationId == null ? "" : " (correlation id " + correlationId + ")");
        return new KlarnaApiException(message, status, errorCode, messages, correlationId, retryable, null);
    }

    /** Builds a {@link KlarnaHttpApi}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private URI baseUri;
        private KlarnaCredentials credentials;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * The API base, e.g. from {@link KlarnaFlavour#apiBaseUri(KlarnaRegion, KlarnaEnvironment)}.
         * Plain http is allowed on loopback only (a local fake): elsewhere it would send the
         * credentials in the clear.
         *
         * @throws IllegalArgumentException unless an absolute https URI, or http on loopback
         */
        public Builder baseUri(URI baseUri) {
            String scheme = Objects.requireNonNull(baseUri, "baseUri").getScheme();
            String host = baseUri.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            if (host == null || !("https".equals(scheme) || "http".equals(scheme) && loopback)) {
                throw new IllegalArgumentException("base URI must be an absolute https URI (http only on loopback): "
                        + baseUri);
            }
            this.baseUri = baseUri;
            return this;
        }

        /** The merchant's API credentials. */
        public Builder credentials(KlarnaCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * How long to wait for a connection; default 5 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        /**
         * How long to wait for each whole answer, body included; default 10 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout);
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException without base URI or credentials
         */
        public KlarnaHttpApi build() {
            if (baseUri == null || credentials == null) {
                throw new IllegalStateException("base URI and credentials are required");
            }
            return new KlarnaHttpApi(this);
        }

        private static Duration positive(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            return timeout;
        }
    }
}
