package org.callbackkit.ecster;

import org.callbackkit.core.CallbackException;

/**
 * A call to Ecster's API that did not succeed: a non-2xx answer (with Ecster's {@code title} and
 * {@code detail} when the body had them), an answer that is not a usable order, a timeout, or a
 * connection failure. The message names the call and the Ecster order; it never holds the keys.
 */
public class EcsterApiException extends CallbackException {

    private static final long serialVersionUID = 1L;

    private final String ecsterOrderId;
    private final int status;
    private final boolean retryable;

    /**
     * @param message what was called and what happened, without secrets
     * @param ecsterOrderId the Ecster order the call was about
     * @param status the HTTP status, or 0 when no usable answer came
     * @param retryable whether a later attempt may succeed
     * @param cause the underlying failure, or null
     */
    public EcsterApiException(String message, String ecsterOrderId, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.ecsterOrderId = ecsterOrderId;
        this.status = status;
        this.retryable = retryable;
    }

    /** Whether an answer with this status is worth retrying: 5xx, 408 and 429 (Ecster's rate limit). */
    public static boolean retryableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The Ecster order the call was about. */
    public String ecsterOrderId() {
        return ecsterOrderId;
    }

    /** The HTTP status answered, or 0 for a timeout, a connection failure or an unusable 2xx body. */
    public int status() {
        return status;
    }

    /**
     * True for timeouts, connection failures, 5xx, 408 and 429; false for other 4xx (wrong keys,
     * no such order) and for unusable answers: trying again would not help.
     */
    public boolean retryable() {
        return retryable;
    }
}
