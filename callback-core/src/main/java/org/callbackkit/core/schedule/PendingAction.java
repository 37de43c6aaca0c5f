package org.callbackkit.core.schedule;

import java.util.Optional;

/**
 * A scheduled action not yet done, as {@link DelayedActionScheduler#pending()} shows it.
 *
 * @param action the action, {@code runAt} being its next run
 * @param attempts how many runs were made so far
 * @param running whether it is running now
 * @param lastError why the last run failed; empty before the first failure
 */
public record PendingAction(DelayedAction action, int attempts, boolean running, Optional<String> lastError) {
}
