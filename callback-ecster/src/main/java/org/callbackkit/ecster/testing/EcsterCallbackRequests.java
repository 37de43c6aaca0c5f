package org.callbackkit.ecster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.ecster.EcsterCallbacks;

/**
 * Builds the order event notifications Ecster sends, for tests: a JSON POST with {@code orderId},
 * {@code orderReference}, {@code status}, {@code time} and {@code event}, plus the shared header
 * and the notification URL's temporary reference when configured. Route them through a
 * {@code CallbackRouter} with {@code dispatch}. Not thread-safe.
 *
 * <pre>{@code
 * var ecster = new EcsterCallbackRequests().sharedHeader("X-Shop-Notification", value);
 * router.dispatch(ecster.notification("eYBtAD0wTZIzDWkVpGhe", "READY"));
 * }</pre>
 */
public final class EcsterCallbackRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String path;
    private String headerName;
    private String headerValue;
    private String temporaryReference;
    private Instant receivedAt = Instant.parse("2026-01-01T00:00:00Z");

    /** Notifications to {@link EcsterCallbacks#DEFAULT_PATH}. */
    public EcsterCallbackRequests() {
        this(EcsterCallbacks.DEFAULT_PATH);
    }

    /** Notifications to {@code path}. */
    public EcsterCallbackRequests(String path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** Sends the custom header Ecster is configured with on every request built from now on. */
    public EcsterCallbackRequests sharedHeader(String name, String value) {
        this.headerName = Objects.requireNonNull(name, "name");
        this.headerValue = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Adds {@code ?temporaryReference=} to the URL, as a notification URL made for a cart carries it. */
    public EcsterCallbackRequests temporaryReference(String temporaryReference) {
        this.temporaryReference = Objects.requireNonNull(temporaryReference, "temporaryReference");
        return this;
    }

    /** Stamps the requests built from now on as received at {@code receivedAt} (also their {@code time}). */
    public EcsterCallbackRequests receivedAt(Instant receivedAt) {
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        return this;
    }

    /** A notification of {@code status} for the order, event {@code CREATED}. */
    public CallbackRequest notification(String orderId, String status) {
        return notification(orderId, status, "CREATED");
    }

    /** A notification of {@code status} and {@code event} (e.g. {@code FULL_DEBIT}) for the order. */
    public CallbackRequest notification(String orderId, String status, String event) {
        ObjectNode body = MAPPER.createObjectNode().put("orderId", orderId).put("orderReference", "TempOrderRef")
                .put("status", status).put("time", receivedAt.toString()).put("event", event);
        return withBody(body.toString());
    }

    /**
     * Realistic requests of {@code kind}, by {@link #notification(String, String, String)}: for
     * {@link EcsterCallbacks#KIND} an order that became {@code READY} on {@code FULL_DEBIT}. The
     * callback doctor probes a shop with exactly these. Ecster documents no {@code User-Agent} or
     * {@code Accept}, so the samples carry none.
     *
     * @return the samples by name; empty for a kind the module does not know
     */
    public Map<String, CallbackRequest> samples(String kind) {
        return EcsterCallbacks.KIND.equals(kind)
                ? Map.of(kind, notification("eYBtAD0wTZIzDWkVpGhe", "READY", "FULL_DEBIT")) : Map.of();
    }

    /** A POST of exactly {@code json} (or any text), with the headers and URL a notification has. */
    public CallbackRequest withBody(String json) {
        CallbackRequest.Builder builder = CallbackRequest.builder().method("POST").path(path)
                .remoteAddress("192.0.2.10").receivedAt(receivedAt)
                .header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8));
        if (headerName != null) {
            builder.header(headerName, headerValue);
        }
        if (temporaryReference != null) {
            builder.addQueryParameter(EcsterCallbacks.TEMPORARY_REFERENCE_PARAMETER, temporaryReference);
        }
        return builder.build();
    }
}
