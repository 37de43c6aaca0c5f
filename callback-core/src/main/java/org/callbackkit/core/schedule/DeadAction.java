package org.callbackkit.core.schedule;

import java.time.Instant;

/**
 * An action the scheduler stopped retrying, kept for an operator: which, how many attempts, why.
 *
 * @param action the action as last run
 * @param attempts how many runs were made
 * @param lastError the last failure, or the reason given up
 * @param diedAt when the last run ended
 */
public record DeadAction(DelayedAction action, int attempts, String lastError, Instant diedAt) {
}
