package org.callbackkit.avarda;

import org.callbackkit.core.CallbackException;

/**
 * A call to Avarda's API that did not succeed: the token request or the payment read answered
 * non-2xx, the answer was not usable, it timed out, or the connection failed. The message names
 * the call and the purchase; it never holds the client secret or a token.
 */
public class AvardaApiException extends CallbackException {

    private static final long serialVersionUID = 1L;

    private final String purchaseId;
    private final int status;
    private final boolean retryable;

    /**
     * @param message what was called and what happened, without secrets
     * @param purchaseId the purchase the call was for
     * @param status the HTTP status, or 0 when no usable answer came
     * @param retryable whether a later attempt may succeed
     * @param cause the underlying failure, or null
     */
    public AvardaApiException(String message, String purchaseId, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.purchaseId = purchaseId;
        this.status = status;
        this.retryable = retryable;
    }

    /** Whether an answer with this status is worth retrying: 5xx, 408 and 429. */
    public static boolean retryableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The purchase the call was for. */
    public String purchaseId() {
        return purchaseId;
    }

    /** The HTTP status answered, or 0 for a timeout, a connection failure or an unusable 2xx body. */
    public int status() {
        return status;
    }

    /**
     * True for timeouts, connection failures, 5xx, 408 and 429; false for other 4xx (refused
     * credentials, no such purchase) and unusable answers.
     */
    public boolean retryable() {
        return retryable;
    }
}
