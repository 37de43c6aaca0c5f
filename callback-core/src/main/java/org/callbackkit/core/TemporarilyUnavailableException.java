package org.callbackkit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a {@link org.callbackkit.core.intake.CallbackHandler}, or by what it calls, when a
 * callback cannot be taken now but can be later: typically a durable
 * {@link org.callbackkit.core.schedule.DelayedActionScheduler} that could not commit the action.
 * The router answers 503 with {@code Retry-After} so the provider re-sends, and journals it as
 * {@link org.callbackkit.core.intake.CallbackOutcome#FAILED}: a callback is never answered 2xx
 * before its work is safe.
 */
public class TemporarilyUnavailableException extends CallbackException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param message the short reason journaled, e.g. "could not store the action"; sent to the
     *     caller as "temporarily unavailable" only
     * @param retryAfter when the provider may try again, sent as {@code Retry-After}
     * @param cause what failed, logged with the journal entry's id
     */
    public TemporarilyUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter is negative: " + retryAfter);
        }
    }

    /** When the provider may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
