package org.callbackkit.core;

/**
 * Thrown by a {@link org.callbackkit.core.intake.CallbackHandler} when a callback fails its
 * authenticity check (missing or wrong secret or shared header). The router answers 403 with the
 * message as the JSON reason and journals it as
 * {@link org.callbackkit.core.intake.CallbackOutcome#REJECTED_AUTH}. Never put the expected or
 * received secret in the message.
 */
public class UnauthenticatedCallbackException extends CallbackException {

    private static final long serialVersionUID = 1L;

    /** @param message the short reason sent to the caller, e.g. "wrong secret" */
    public UnauthenticatedCallbackException(String message) {
        super(message);
    }
}
