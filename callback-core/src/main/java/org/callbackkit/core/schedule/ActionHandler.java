package org.callbackkit.core.schedule;

/**
 * Runs delayed actions of one type. Runs at least once per scheduled action, possibly more
 * (after a crash, or a retry), so it must be idempotent: re-read the provider's state, and make
 * every effect safe to apply twice.
 */
@FunctionalInterface
public interface ActionHandler {

    /**
     * Runs one action.
     *
     * @return how the run ended; {@code null} counts as a failure
     * @throws Exception any failure: the action is retried with the scheduler's backoff and,
     *     after the last attempt, kept as dead with this error
     */
    ActionResult execute(ActionContext context) throws Exception;
}
