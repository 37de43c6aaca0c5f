package org.callbackkit.avarda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AvardaApi} over HTTPS with core's {@link ProviderHttp}. Authenticates as Checkout 3 does: the
 * client id and secret are exchanged at {@code POST /api/partner/tokens} for a partner access
 * token, which is reused until a minute before its {@code tokenExpirationUtc} (Avarda asks for
 * reuse; tokens live an hour) and sent as {@code Authorization: Bearer}. A 401 on a payment read
 * drops the token and tries once more with a new one. Each whole answer, body included, has a
 * timeout. Failures become {@link ProviderApiException}s that say whether a retry can help; logs
 * and messages never hold the secret or a token. Thread-safe.
 */
final class AvardaHttpApi implements AvardaApi {

    private static final ObjectMapper MAPPER = CallbackJson.strictMapper();

    private static final Logger LOG = LoggerFactory.getLogger(AvardaHttpApi.class);
    /** Used when Avarda's expiry cannot be read: a little under the documented hour. */
    private static final Duration FALLBACK_LIFETIME = Duration.ofMinutes(55);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);
    /** Avarda's error bodies name nothing worth quoting: the status says it. */
    private static final Function<JsonNode, ProviderHttp.Problem> NO_PROBLEM = json -> ProviderHttp.Problem.NONE;

    private final ProviderHttp http;
    private final AvardaCredentials credentials;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    AvardaHttpApi(ProviderHttp http, AvardaCredentials credentials, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public AvardaPayment getPayment(String purchaseId) {
        String path = "api/partner/payments/" + UntrustedText.requirePathSegmentId(purchaseId, "purchase id");
        String call = "Avarda GET /" + path;
        HttpResponse<String> response = http.send(get(path, token(purchaseId)), call, purchaseId);
        if (response.statusCode() == 401) {
            LOG.info("{} answered 401; getting a new partner access token and trying once more", call);
            dropToken();
            response = http.send(get(path, token(purchaseId)), call, purchaseId);
        }
        String body = http.requireSuccess(response, call + " for purchase " + purchaseId, purchaseId, NO_PROBLEM);
        try {
            AvardaPayment payment = AvardaPayment.parse(body);
            if (!payment.purchaseId().equals(purchaseId)) {
                throw new IllegalArgumentException("answer is for purchase " + UntrustedText.printable(payment.purchaseId()));
            }
            return payment;
        } catch (IllegalArgumentException e) {
            throw http.unusable(call, purchaseId, "an unusable payment: " + e.getMessage(), e);
        }
    }

    private HttpRequest get(String path, String accessToken) {
        return request(path).header("Authorization", "Bearer " + accessToken).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return http.request(path);
    }

    /** The cached partner access token, or a new one when it is missing or about to expire. */
    private synchronized String token(String purchaseId) {
        Instant now = clock.instant();
        if (token != null && now.isBefore(tokenExpires.minus(RENEW_BEFORE))) {
            return token;
        }
        String body = MAPPER.createObjectNode().put("clientId", credentials.clientId())
                .put("clientSecret", credentials.clientSecret()).toString();
        String call = "Avarda POST /api/partner/tokens";
        String answered = http.sendForBody(request("api/partner/tokens").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                call + " for purchase " + purchaseId, purchaseId, NO_PROBLEM);
        try {
            JsonNode answer = MAPPER.readTree(answered);
            String issued = answer == null ? "" : CallbackJson.text(answer, "token");
            if (issued.isBlank()) {
                throw http.unusable(call, purchaseId, "no token", null);
            }
            token = issued;
            tokenExpires = expiry(CallbackJson.text(answer, "tokenExpirationUtc"), now);
            return token;
        } catch (IOException e) {
            throw http.unusable(call, purchaseId, "something other than JSON", e);
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
}
