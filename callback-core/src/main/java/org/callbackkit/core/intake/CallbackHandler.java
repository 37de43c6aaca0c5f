package org.callbackkit.core.intake;

import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.UnauthenticatedCallbackException;

/**
 * Handles the callbacks of one endpoint: authenticate, parse, deduplicate, then answer now or
 * schedule the work and answer fast. Called concurrently from many threads.
 */
@FunctionalInterface
public interface CallbackHandler {

    /**
     * Handles one callback.
     *
     * @return the answer to send; never null
     * @throws InvalidCallbackException for input that cannot be accepted (answered 400)
     * @throws UnauthenticatedCallbackException for a failed authenticity check (answered 403)
     * @throws RuntimeException anything else is answered 500 with an error id and logged under it
     */
    CallbackResponse handle(CallbackRequest request);
}
