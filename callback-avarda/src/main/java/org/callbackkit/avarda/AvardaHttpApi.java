package org.callbackkit.avarda;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AvardaApi} over HTTPS with {@link HttpClient}. Authenticates as Checkout 3 does: the
 * client id and secret are exchanged at {@code POST /api/partner/tokens} for a partner access
 * token, which is reused until a minute before its {@code tokenExpirationUtc} (Avarda asks for
 * reuse; tokens live an hour) and sent as {@code Authorization: Bearer}. A 401 on a payment read
 * drops the token and tries once more with a new one. Each whole answer, body included, has a
 * timeout. Failures become {@link AvardaApiException}s that say whether a retry can help; logs
 * and messages never hold the secret or a token. Thread-safe.
 */
final class AvardaHttpApi implements AvardaApi {

    private static final Logger LOG = LoggerFactory.getLogger(AvardaHttpApi.class);
    /** Used when Avarda's expiry cannot be read: a little under the documented hour. */
    private static final Duration FALLBACK_LIFETIME = Duration.ofMinutes(55);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final URI baseUri;
    private final AvardaCredentials credentials;
    private final Duration readTimeout;
    private final Clock clock;
    private final HttpClient http;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    AvardaHttpApi(URI baseUri, AvardaCredentials credentials, Duration connectTimeout, Duration readTimeout, Clock clock) {
        String base = baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.credentials = credentials;
        this.readTimeout = readTimeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public AvardaPayment getPayment(String purchaseId) {
        String path = "api/partner/payments/" + Checks.requireId(purchaseId, "purchase id");
        String call = "Avarda GET /" + path;
        HttpResponse<String> response = send(get(path, token(purchaseId)), call, purchaseId);
        if (response.statusCode() == 401) {
            LOG.info("{} answered 401; getting a new partner access token and trying once more", call);
            dropToken();
            response = send(get(path, token(purchaseId)), call, purchaseId);
        }
        requireSuccess(response, call, purchaseId);
        try {
            AvardaPayment payment = AvardaPayment.parse(response.body());
            if (!payment.purchaseId().equals(purchaseId)) {
                throw new IllegalArgumentException("answer is for purchase " + Checks.printable(payment.purchaseId()));
            }
            return payment;
        } catch (IllegalArgumentException e) {
            throw new AvardaApiException(call + " answered an unusable payment: " + e.getMessage(), purchaseId, 0, false, e);
        }
    }

    private HttpRequest get(String path, String accessToken) {
        return request(path).header("Authorization", "Bearer " + accessToken).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(readTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "callback-kit-avarda");
    }

    /** The cached partner access token, or a new one when it is missing or about to expire. */
    private synchronized String token(String purchaseId) {
        Instant now = clock.instant();
        if (token != null && now.isBefore(tokenExpires.minus(RENEW_BEFORE))) {
            return token;
        }
        String body = Checks.MAPPER.createObjectNode().put("clientId", credentials.clientId())
                .put("clientSecret", credentials.clientSecret()).toString();
        String call = "Avarda POST /api/partner/tokens";
        HttpResponse<String> response = send(request("api/partner/tokens").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), call, purchaseId);
        requireSuccess(response, call, purchaseId);
        try {
            JsonNode answer = Checks.MAPPER.readTree(response.body());
            String issued = answer == null ? "" : Checks.text(answer, "token");
            if (issued.isBlank()) {
                throw new AvardaApiException(call + " answered no token", purchaseId, 0, false, null);
            }
            token = issued;
            tokenExpires = expiry(Checks.text(answer, "tokenExpirationUtc"), now);
            return token;
        } catch (IOException e) {
            throw new AvardaApiException(call + " answered something other than JSON", purchaseId, 0, false, e);
        }
    }

    private synchronized void dropToken() {
        token = null;
    }

    /** {@code tokenExpirationUtc} with or without a zone (then UTC); a little under an hour when unreadable. */
    private static Instant expiry(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return now.plus(FALLBACK_LIFETIME);
            }
        }
    }

    private static void requireSuccess(HttpResponse<String> response, String call, String purchaseId) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            AvardaApiException failure = new AvardaApiException(call + " for purchase " + purchaseId + " answered " + status,
                    purchaseId, status, AvardaApiException.retryableStatus(status), null);
            LOG.warn("{}", failure.getMessage());
            throw failure;
        }
    }

    /** Sends and waits for the whole answer: the request timeout alone ends at the headers on JDK 17. */
    private HttpResponse<String> send(HttpRequest request, String call, String purchaseId) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new AvardaApiException(call + " timed out after " + readTimeout.toMillis() + " ms", purchaseId, 0, true,
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof HttpTimeoutException ? " timed out" : " failed: " + cause.getClass().getName();
            throw new AvardaApiException(call + what, purchaseId, 0, true, cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new AvardaApiException(call + " was interrupted", purchaseId, 0, true, e);
        }
    }
}
