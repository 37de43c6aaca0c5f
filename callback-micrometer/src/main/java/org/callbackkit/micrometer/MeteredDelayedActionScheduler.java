package org.callbackkit.micrometer;

import java.util.Locale;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.ForwardingDelayedActionScheduler;

/**
 * Delegates everything; wraps each registered handler so that every run is timed with its
 * result: {@code done}, {@code retry}, {@code give_up}, or {@code error} (it threw, or returned
 * null, which the scheduler treats as a failure).
 */
final class MeteredDelayedActionScheduler extends ForwardingDelayedActionScheduler {

    private final CallbackMetrics metrics;

    MeteredDelayedActionScheduler(DelayedActionScheduler scheduler, CallbackMetrics metrics) {
        super(scheduler);
        this.metrics = metrics;
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        super.register(type, timed(type, handler), retries);
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
    public String toString() {
        return "metered " + delegate();
    }
}
