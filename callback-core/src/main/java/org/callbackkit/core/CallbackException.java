package org.callbackkit.core;

/**
 * The root of Callback Kit's unchecked exceptions. Subclasses name the provider and, where known,
 * the order or transaction in their message; messages never contain secrets.
 */
public class CallbackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the provider and order or transaction */
    public CallbackException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public CallbackException(String message, Throwable cause) {
        super(message, cause);
    }
}
