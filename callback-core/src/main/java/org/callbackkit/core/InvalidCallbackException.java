package org.callbackkit.core;

/**
 * Thrown by a {@link org.callbackkit.core.intake.CallbackHandler} when the callback cannot be
 * accepted as sent (malformed JSON, a missing or non-numeric field). The router answers 400 with
 * the message as the JSON reason, journals it as
 * {@link org.callbackkit.core.intake.CallbackOutcome#REJECTED_INPUT}, and calls nothing else.
 * The message is sent to the caller: keep it short and free of secrets.
 */
public class InvalidCallbackException extends CallbackException {

    private static final long serialVersionUID = 1L;

    /** @param message the short reason sent to the caller */
    public InvalidCallbackException(String message) {
        super(message);
    }

    /**
     * @param message the short reason sent to the caller
     * @param cause what failed, for the log
     */
    public InvalidCallbackException(String message, Throwable cause) {
        super(message, cause);
    }
}
