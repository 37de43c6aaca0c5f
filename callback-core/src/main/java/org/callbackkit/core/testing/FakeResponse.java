package org.callbackkit.core.testing;

import java.util.Objects;

/**
 * An answer a {@link FakeProviderServer} gives: a status, a body, and how it is delivered, from
 * in full to not at all. A value; build it with {@link #json(int, String)} or {@link #empty(int)},
 * then {@link #delivered(Delivery)} to make it misbehave.
 *
 * <pre>{@code
 * server.enqueue(FakeResponse.json(503, "{\"error\":\"busy\"}"));                 // an error
 * server.enqueue(FakeResponse.empty(204).delivered(Delivery.STALLED));             // no answer until released
 * server.enqueue("GET /v1/orders/{id}", FakeResponse.empty(200).delivered(Delivery.DROPPED)); // a dropped connection
 * }</pre>
 *
 * @param status the HTTP status, 100 to 599
 * @param contentType the {@code Content-Type} sent with a body; ignored without one
 * @param body the body as text, sent as UTF-8; empty for none
 * @param delivery how the answer reaches the client
 */
public record FakeResponse(int status, String contentType, String body, Delivery delivery) {

    /** How an answer reaches the client over HTTP. */
    public enum Delivery {
        /** Sent at once, whole. */
        IN_FULL,
        /**
         * Nothing is sent until {@link FakeProviderServer#releaseStalls()}, then the whole answer;
         * if the server closes first, the connection is closed without an answer. A client with a
         * read timeout times out.
         */
        STALLED,
        /**
         * The headers and the first half of the body are sent, the rest only after
         * {@link FakeProviderServer#releaseStalls()}; if the server closes first, the connection is
         * closed mid-body. A client that times out only on the headers hangs.
         */
        STALLED_MID_BODY,
        /** The connection is closed without a byte of answer: the client sees an I/O error. */
        DROPPED
    }

    /**
     * What a provider's API client raises for an answer it cannot use, made by a fake provider for
     * its in-process calls (see {@link #bodyOrThrow(ClientFailure)}).
     *
     * @param <X> the provider's exception type
     */
    @FunctionalInterface
    public interface ClientFailure<X extends RuntimeException> {
        /**
         * @param description what happened, to append to the call's name: {@code "timed out"},
         *        {@code "failed: connection closed without an answer"} or {@code "answered 503"}
         * @param status the status the client saw, 0 when no answer came
         * @param retryable whether a client should retry: no answer, 408, 429 or 5xx
         * @return the exception to throw
         */
        X exception(String description, int status, boolean retryable);
    }

    /** @throws IllegalArgumentException if the status is not 100 to 599, or a part is null */
    public FakeResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(delivery, "delivery");
    }

    /**
     * A JSON answer delivered in full.
     *
     * @throws IllegalArgumentException if the status is not 100 to 599
     */
    public static FakeResponse json(int status, String json) {
        return new FakeResponse(status, "application/json", json, Delivery.IN_FULL);
    }

    /**
     * An answer with no body (such as a 204) delivered in full.
     *
     * @throws IllegalArgumentException if the status is not 100 to 599
     */
    public static FakeResponse empty(int status) {
        return new FakeResponse(status, "", "", Delivery.IN_FULL);
    }

    /** This answer, delivered as {@code delivery}. */
    public FakeResponse delivered(Delivery delivery) {
        return new FakeResponse(status, contentType, body, delivery);
    }

    /**
     * For a fake provider's in-process calls: the body, as an HTTP client would return it for a
     * whole 2xx answer; otherwise the exception {@code failure} makes, as that client would raise
     * it at once: status 0 and retryable for a stalled or dropped answer, the status otherwise.
     *
     * @throws X for anything but a 2xx delivered in full
     */
    public <X extends RuntimeException> String bodyOrThrow(ClientFailure<X> failure) {
        return switch (delivery) {
            case DROPPED -> throw failure.exception("failed: connection closed without an answer", 0, true);
            case STALLED, STALLED_MID_BODY -> throw failure.exception("timed out", 0, true);
            case IN_FULL -> {
                if (status >= 300) {
                    throw failure.exception("answered " + status, status,
                            status >= 500 || status == 408 || status == 429);
                }
                yield body;
            }
        };
    }
}
