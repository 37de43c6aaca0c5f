package org.callbackkit.core.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a {@link DelayedActionScheduler}: how much work waits, whether work that was due
 * long ago has not run (the "cron never runs" failure), and how much has died.
 *
 * @param pending actions waiting for their time, retries included (running ones excluded)
 * @param overdue pending actions due longer ago than the scheduler's overdue threshold
 * @param running actions running now
 * @param dead actions the scheduler stopped retrying
 * @param oldestOverdueSince when the longest-overdue action was due; empty when none is overdue
 */
public record SchedulerHealth(int pending, int overdue, int running, int dead, Optional<Instant> oldestOverdueSince) {

    /** Nothing overdue and nothing dead. */
    public boolean healthy() {
        return overdue == 0 && dead == 0;
    }
}
