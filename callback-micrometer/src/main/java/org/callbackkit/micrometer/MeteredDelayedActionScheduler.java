package org.callbackkit.micrometer;

import java.util.List;
import java.util.Locale;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * Delegates everything; wraps each registered handler so that every run is timed with its
 * result: {@code done}, {@code retry}, {@code give_up}, or {@code error} (it threw, or returned
 * null, which the scheduler treats as a failure).
 */
final class MeteredDelayedActionScheduler implements DelayedActionScheduler {

    private final DelayedActionScheduler scheduler;
    private final CallbackMetrics metrics;

    MeteredDelayedActionScheduler(DelayedActionScheduler scheduler, CallbackMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        scheduler.register(type, timed(type, handler), retries);
    }

    private ActionHandler timed(String type, ActionHandler handler) {
        return context -> {
            long start = System.nanoTime();
            String result = "error";
            try {
                ActionResult answer = handler.execute(context);
                if (answer != null) {
                    result = answer.kind().name().toLowerCase(Locale.ROOT);
                }
                return answer;
            } finally {
                metrics.record(type, result, System.nanoTime() - start);
            }
        };
    }

    @Override
    public RetrySchedule defaultRetries() {
        return scheduler.defaultRetries();
    }

    @Override
    public boolean schedule(DelayedAction action) {
        return scheduler.schedule(action);
    }

    @Override
    public List<PendingAction> pending() {
        return scheduler.pending();
    }

    @Override
    public List<DeadAction> dead() {
        return scheduler.dead();
    }

    @Override
    public boolean runNow(String type, String key) {
        return scheduler.runNow(type, key);
    }

    @Override
    public SchedulerHealth health() {
        return scheduler.health();
    }

    /** Closes the scheduler it decorates. */
    @Override
    public void close() {
        scheduler.close();
    }

    @Override
    public String toString() {
        return "metered " + scheduler;
    }
}
