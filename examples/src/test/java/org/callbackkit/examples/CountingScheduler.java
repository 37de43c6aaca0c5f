package org.callbackkit.examples;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.ForwardingDelayedActionScheduler;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;

/**
 * A {@link ManualDelayedActionScheduler} that counts what the modules' actions did: runs, retries
 * (runs after the first of an action) and runs that ended asking for a retry or throwing. The
 * handlers and their retry schedules are the modules' own; only the counting is added.
 */
final class CountingScheduler extends ForwardingDelayedActionScheduler {

    private final ManualDelayedActionScheduler delegate;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger failedRuns = new AtomicInteger();

    CountingScheduler(ManualDelayedActionScheduler delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    /** Runs what is due on the calling thread; several threads may call it at once. */
    int runDue() {
        return delegate.runDue();
    }

    /** Whether an action waits that is due by the clock now. */
    boolean hasDue() {
        Instant now = delegate.clock().instant();
        return delegate.pending().stream().anyMatch(p -> !p.running() && !p.action().runAt().isAfter(now));
    }

    /** When the soonest waiting action is due, if any waits. */
    Optional<Instant> nextDue() {
        return delegate.pending().stream().filter(p -> !p.running()).map(p -> p.action().runAt()).min(Instant::compareTo);
    }

    int runs() {
        return runs.get();
    }

    int retries() {
        return retries.get();
    }

    int failedRuns() {
        return failedRuns.get();
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retrySchedule) {
        super.register(type, context -> {
            runs.incrementAndGet();
            if (context.attempt() > 1) {
                retries.incrementAndGet();
            }
            try {
                ActionResult result = handler.execute(context);
                if (result != null && result.kind() == ActionResult.Kind.RETRY) {
                    failedRuns.incrementAndGet();
                }
                return result;
            } catch (Exception e) {
                failedRuns.incrementAndGet();
                throw e;
            }
        }, retrySchedule);
    }
}
