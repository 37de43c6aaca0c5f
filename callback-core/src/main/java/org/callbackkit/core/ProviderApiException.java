package org.callbackkit.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A call to a provider's API that did not succeed: a non-2xx answer (with the provider's error code
 * and correlation id when its body had them), an answer that is not usable, a timeout, or a
 * connection failure. {@link #retryable()} says whether trying again later can help; the
 * reconciliation engine retries such calls on the provider's schedule and gives up on the others.
 * The message names the provider, the call and the order; it never holds credentials.
 */
public class ProviderApiException extends CallbackException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String orderKey;
    private final int status;
    private final String errorCode;
    private final String correlationId;
    private final boolean retryable;

    /**
     * @param message what was called and what happened, without secrets
     * @param provider the provider called, e.g. {@code klarna}
     * @param orderKey the provider's order (or purchase) the call was about
     * @param status the HTTP status, or 0 when no answer came
     * @param errorCode the provider's error code from the answer's body, or null
     * @param correlationId the provider's id of the call, to quote to its support, or null
     * @param retryable whether a later attempt may succeed
     * @param cause the I/O failure, or null
     * @throws NullPointerException if message, provider or orderKey is null
     */
    public ProviderApiException(String message, String provider, String orderKey, int status, String errorCode,
            String correlationId, boolean retryable, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.orderKey = Objects.requireNonNull(orderKey, "orderKey");
        this.status = status;
        this.errorCode = errorCode;
        this.correlationId = correlationId;
        this.retryable = retryable;
    }

    /** Whether an answer with this status is worth retrying: 5xx, 408 and 429 (rate limits) are; other statuses are not. */
    public static boolean retryableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The provider called, e.g. {@code klarna}. */
    public String provider() {
        return provider;
    }

    /** The provider's order (or purchase) the call was about. */
    public String orderKey() {
        return orderKey;
    }

    /** The HTTP status answered, or 0 when the call timed out or could not connect. */
    public int status() {
        return status;
    }

    /** The provider's error code, such as Klarna's {@code NO_SUCH_ORDER}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The provider's id of the call: quote it to the provider's support. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }

    /**
     * True for timeouts, connection failures, 5xx, 408 and 429: a later attempt may succeed. False
     * for other 4xx (wrong credentials, no such order) and unusable answers.
     */
    public boolean retryable() {
        return retryable;
    }
}
