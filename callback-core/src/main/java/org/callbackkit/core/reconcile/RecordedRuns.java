package org.callbackkit.core.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.OrderActivity.ActionRunResult;
import org.callbackkit.core.OrderActivityRecorder;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionContext;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.ActionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler that records each of its runs with the journal, whichever scheduler runs it: the
 * attempt, how it ended and, when it failed, when it runs again; times from the engine's clock. The end is told the way every
 * {@link org.callbackkit.core.schedule.DelayedActionScheduler} of Callback Kit decides it: done;
 * dead when the handler gave up or the retry schedule has no attempt left; else failed, run again
 * after the delay the handler asked for or the schedule's. Thread-safe.
 */
final class RecordedRuns implements ActionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedRuns.class);

    private final ActionHandler handler;
    private final OrderActivityRecorder journal;
    private final RetrySchedule retries;
    private final Clock clock;
    /** Whether the journal said it keeps no activity: said once in the log, then not asked again. */
    private volatile boolean journalRefuses;

    RecordedRuns(ActionHandler handler, OrderActivityRecorder journal, RetrySchedule retries, Clock clock) {
        this.handler = handler;
        this.journal = journal;
        this.retries = retries;
        this.clock = clock;
    }

    @Override
    public ActionResult execute(ActionContext context) throws Exception {
        Instant started = clock.instant();
        ActionResult result;
        try {
            result = handler.execute(context);
        } catch (Exception | Error e) {
            record(context, started, null, e.toString());
            throw e;
        }
        record(context, started, result, result == null ? "handler returned no result" : result.reason());
        return result;
    }

    private void record(ActionContext context, Instant started, ActionResult result, String error) {
        if (journalRefuses) {
            return;
        }
        Duration took = Duration.between(started, clock.instant());
        ActionResult.Kind kind = result == null ? ActionResult.Kind.RETRY : result.kind();
        Optional<Duration> next = retries.nextAttemptAfter(context.attempt());
        ActionRunResult ended;
        Instant nextAttempt = null;
        if (kind == ActionResult.Kind.DONE) {
            ended = ActionRunResult.DONE;
        } else if (kind == ActionResult.Kind.GIVE_UP || next.isEmpty()) {
            ended = ActionRunResult.DEAD;
        } else {
            ended = ActionRunResult.FAILED;
            nextAttempt = clock.instant().plus(result == null ? next.get() : result.delay().orElse(next.get()));
        }
        try {
            journal.recordActivity(OrderActivity.actionRun(context.type(), context.key(), started, context.attempt(),
                    ended, error, took, nextAttempt));
        } catch (UnsupportedOperationException e) {
            journalRefuses = true;
            LOG.warn("Runs of {} are not recorded: the journal keeps no order activity ({})", context.type(),
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("The run of {} {} could not be recorded; the action goes on", context.type(), context.key(), e);
        }
    }
}
