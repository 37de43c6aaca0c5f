package org.callbackkit.klarna;

import java.util.List;
import java.util.Optional;
import org.callbackkit.core.CallbackException;

/**
 * A Klarna or Kustom API call that did not succeed: a non-2xx answer (with Klarna's
 * {@code error_code}, {@code error_messages} and {@code correlation_id} when the body had them),
 * a timeout, or a connection failure. {@link #retryable()} says whether trying again later can
 * help. The message names the call and the order; it never contains credentials.
 */
public class KlarnaApiException extends CallbackException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final List<String> errorMessages;
    private final String correlationId;
    private final boolean retryable;

    /**
     * @param message what was called and what happened, without secrets
     * @param status the HTTP status, or 0 when no answer came
     * @param errorCode Klarna's {@code error_code}, or null
     * @param errorMessages Klarna's {@code error_messages}, possibly empty
     * @param correlationId Klarna's {@code correlation_id}, or null
     * @param retryable whether a later attempt may succeed
     * @param cause the I/O failure, or null
     */
    public KlarnaApiException(String message, int status, String errorCode, List<String> errorMessages,
            String correlationId, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.errorMessages = List.copyOf(errorMessages);
        this.correlationId = correlationId;
        this.retryable = retryable;
    }

    /**
     * Whether an answer with this status is worth retrying: 5xx, 408 and 429 (Klarna's rate
     * limit) are; other statuses are not.
     */
    public static boolean retryableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The HTTP status answered, or 0 when the call timed out or could not connect. */
    public int status() {
        return status;
    }

    /** Klarna's {@code error_code}, such as {@code NO_SUCH_ORDER}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Klarna's {@code error_messages}. */
    public List<String> errorMessages() {
        return errorMessages;
    }

    /** Klarna's {@code correlation_id}: quote it to Klarna support, or find the call in the merchant portal's log. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }

    /**
     * True for timeouts, connection failures, 5xx, 408 and 429 (Klarna's rate limit): a later
     * attempt may succeed. False for other 4xx: the request itself is wrong.
     */
    public boolean retryable() {
        return retryable;
    }
}
