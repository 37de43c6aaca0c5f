package org.callbackkit.core.intake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the shop answers to one callback: status, headers and body, plus what the journal should
 * record about it. Immutable.
 *
 * <p>The factories cover the answers providers expect. Every 4xx factory carries a short JSON body
 * {@code {"error":"reason"}}: the reason is sent to the caller, so it must never contain a secret
 * or a stack trace.
 *
 * <p>The journal outcome defaults to {@link CallbackOutcome#fromStatus(int)}; a handler states
 * another with {@link #withOutcome(CallbackOutcome)}, e.g. a duplicate answered 200.
 */
public final class CallbackResponse {

    private static final String JSON = "application/json";

    private final int status;
    private final CallbackHeaders headers;
    private final byte[] body;
    private final CallbackOutcome outcome;
    private final String detail;
    private final List<String> orderReferences;

    private CallbackResponse(int status, CallbackHeaders headers, byte[] body, CallbackOutcome outcome, String detail) {
        this(status, headers, body, outcome, detail, List.of());
    }

    private CallbackResponse(int status, CallbackHeaders headers, byte[] body, CallbackOutcome outcome, String detail,
            List<String> orderReferences) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599: " + status);
        }
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.outcome = outcome == null ? CallbackOutcome.fromStatus(status) : outcome;
        this.detail = detail == null ? "" : detail;
        this.orderReferences = orderReferences;
    }

    /** Any status, headers and body; prefer the named factories. */
    public static CallbackResponse of(int status, CallbackHeaders headers, byte[] body) {
        return new CallbackResponse(status, headers, body.clone(), null, null);
    }

    /** 200 with no body. */
    public static CallbackResponse ok() {
        return new CallbackResponse(200, CallbackHeaders.empty(), new byte[0], null, null);
    }

    /** 200 with a JSON body. */
    public static CallbackResponse ok(String json) {
        return json(200, json);
    }

    /** 204 with no body. */
    public static CallbackResponse noContent() {
        return new CallbackResponse(204, CallbackHeaders.empty(), new byte[0], null, null);
    }

    /** 200 for a callback already handled; journaled as {@link CallbackOutcome#DUPLICATE}. */
    public static CallbackResponse duplicate() {
        return ok().withOutcome(CallbackOutcome.DUPLICATE);
    }

    /** 303 See Other to {@code location} (e.g. Klarna's reject-and-redirect answer). */
    public static CallbackResponse seeOther(String location) {
        return new CallbackResponse(303, CallbackHeaders.of("Location", Objects.requireNonNull(location, "location")),
                new byte[0], null, null);
    }

    /** 400 with {@code {"error":reason}}. */
    public static CallbackResponse badRequest(String reason) {
        return error(400, reason);
    }

    /** 401 with {@code {"error":reason}}. */
    public static CallbackResponse unauthorized(String reason) {
        return error(401, reason);
    }

    /** 403 with {@code {"error":reason}}; journaled as {@link CallbackOutcome#REJECTED_AUTH}. */
    public static CallbackResponse forbidden(String reason) {
        return error(403, reason);
    }

    /** 404 with {@code {"error":"not found"}}. */
    public static CallbackResponse notFound() {
        return error(404, "not found");
    }

    /** 404 with {@code {"error":reason}}, e.g. for an order the shop does not know (yet). */
    public static CallbackResponse notFound(String reason) {
        return error(404, reason);
    }

    /** 405 with an {@code Allow} header listing {@code allowed}. */
    public static CallbackResponse methodNotAllowed(Collection<String> allowed) {
        return error(405, "method not allowed").withHeader("Allow", String.join(", ", allowed));
    }

    /** 413 with {@code Connection: close}, since the rest of the body is not read. */
    public static CallbackResponse payloadTooLarge(long limitBytes) {
        return error(413, "body larger than " + limitBytes + " bytes").withHeader("Connection", "close");
    }

    /** 415 naming the accepted media types. */
    public static CallbackResponse unsupportedMediaType(Collection<String> accepted) {
        return error(415, "content type must be " + String.join(" or ", accepted));
    }

    /** 503 with {@code Retry-After} in whole seconds: the provider should deliver again later. */
    public static CallbackResponse serviceUnavailable(Duration retryAfter) {
        long seconds = Math.max(0, (retryAfter.toMillis() + 999) / 1000);
        return error(503, "temporarily unavailable").withHeader("Retry-After", Long.toString(seconds));
    }

    /** 500 with {@code {"error":"internal error","id":id}}; the id finds the logged exception. */
    public static CallbackResponse internalError(String id) {
        return json(500, "{\"error\":\"internal error\",\"id\":" + Json.quote(id) + "}");
    }

    /** Any status with {@code {"error":reason}} as its JSON body. */
    public static CallbackResponse error(int status, String reason) {
        return json(status, Json.error(reason)).withDetail(reason);
    }

    /** Any status with a JSON body. */
    public static CallbackResponse json(int status, String json) {
        return new CallbackResponse(status, CallbackHeaders.of("Content-Type", JSON),
                json.getBytes(StandardCharsets.UTF_8), null, null);
    }

    /** A copy with one header set. */
    public CallbackResponse withHeader(String name, String value) {
        return new CallbackResponse(status, headers.with(name, value), body, outcome, detail, orderReferences);
    }

    /** A copy that the journal records with {@code outcome} instead of the status's default. */
    public CallbackResponse withOutcome(CallbackOutcome outcome) {
        return new CallbackResponse(status, headers, body, Objects.requireNonNull(outcome, "outcome"), detail,
                orderReferences);
    }

    /**
     * A copy whose journal entry carries {@code detail}: a short note for the operator, such as
     * "order 42 scheduled" or why it was rejected. Never sent to the caller; must hold no secret.
     */
    public CallbackResponse withDetail(String detail) {
        return new CallbackResponse(status, headers, body, outcome, detail, orderReferences);
    }

    /**
     * A copy whose journal entry also carries {@code reference}: what the callback is about, as
     * the provider names it (Klarna or Ecster order id, Avarda purchase id, Blockonomics address
     * or transaction id). The journal is searchable by it, and the journal page links each
     * reference to everything about that order. Never sent to the caller. A blank or repeated
     * reference is ignored.
     *
     * @throws IllegalArgumentException if {@code reference} is longer than 200 characters
     */
    public CallbackResponse withOrderReference(String reference) {
        Objects.requireNonNull(reference, "reference");
        String stripped = reference.strip();
        if (stripped.length() > 200) {
            throw new IllegalArgumentException("an order reference is at most 200 characters: " + stripped.length());
        }
        if (stripped.isEmpty() || orderReferences.contains(stripped)) {
            return this;
        }
        List<String> references = new ArrayList<>(orderReferences);
        references.add(stripped);
        return new CallbackResponse(status, headers, body, outcome, detail, List.copyOf(references));
    }

    /** The order references the journal entry carries, in the order given; empty when none. */
    public List<String> orderReferences() {
        return orderReferences;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The response headers. */
    public CallbackHeaders headers() {
        return headers;
    }

    /** A copy of the body bytes; empty when there is none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** How the journal records this answer. */
    public CallbackOutcome outcome() {
        return outcome;
    }

    /** The operator's note for the journal; empty when none. */
    public String detail() {
        return detail;
    }

    /** The {@code Content-Type} header, if set. */
    public Optional<String> contentType() {
        return headers.first("Content-Type");
    }

    byte[] bodyWithoutCopy() {
        return body;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallbackResponse that && status == that.status && headers.equals(that.headers)
                && Arrays.equals(body, that.body) && outcome == that.outcome && detail.equals(that.detail)
                && orderReferences.equals(that.orderReferences);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), outcome, detail, orderReferences);
    }

    @Override
    public String toString() {
        return "CallbackResponse[" + status + " " + outcome + (detail.isEmpty() ? "" : ", " + detail) + "]";
    }
}
