package org.callbackkit.avarda.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * Builds the completed-purchase notifications Avarda sends, for tests: a JSON POST of
 * {@code {"purchaseId":"..."}}, with the static {@code Authorization} header when configured.
 * Route them through a {@code CallbackRouter} with {@code dispatch}. Not thread-safe.
 *
 * <pre>{@code
 * var avarda = new AvardaCallbackRequests().authorization("Basic " + agreed);
 * router.dispatch(avarda.completed("489ea341e23941089e6d0378c708512a"));
 * }</pre>
 */
public final class AvardaCallbackRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String path;
    private String authorization;
    private Instant receivedAt = Instant.parse("2026-01-01T00:00:00Z");

    /** Notifications to {@link AvardaCallbacks#DEFAULT_PATH}. */
    public AvardaCallbackRequests() {
        this(AvardaCallbacks.DEFAULT_PATH);
    }

    /** Notifications to {@code path}. */
    public AvardaCallbackRequests(String path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** Sends this {@code Authorization} value on every request built from now on. */
    public AvardaCallbackRequests authorization(String headerValue) {
        this.authorization = Objects.requireNonNull(headerValue, "headerValue");
        return this;
    }

    /** Stamps the requests built from now on as received at {@code receivedAt}. */
    public AvardaCallbackRequests receivedAt(Instant receivedAt) {
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        return this;
    }

    /** The notification that {@code purchaseId} completed. */
    public CallbackRequest completed(String purchaseId) {
        return withBody(MAPPER.createObjectNode().put("purchaseId", purchaseId).toString());
    }

    /**
     * Realistic requests of {@code kind}, by {@link #completed(String)}: for
     * {@link AvardaCallbacks#KIND} a completed purchase. The callback doctor probes a shop with
     * exactly these. Avarda documents no {@code User-Agent} or {@code Accept}, so the samples
     * carry none.
     *
     * @return the samples by name; empty for a kind the module does not know
     */
    public Map<String, CallbackRequest> samples(String kind) {
        return AvardaCallbacks.KIND.equals(kind) ? Map.of(kind, completed("489ea341e23941089e6d0378c708512a")) : Map.of();
    }

    /** A POST of exactly {@code json} (or any text), with the headers a notification has. */
    public CallbackRequest withBody(String json) {
        CallbackRequest.Builder builder = CallbackRequest.builder().method("POST").path(path)
                .remoteAddress("192.0.2.20").receivedAt(receivedAt)
                .header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }
}
