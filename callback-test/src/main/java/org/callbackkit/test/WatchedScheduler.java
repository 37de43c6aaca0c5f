package org.callbackkit.test;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * A scheduler that remembers every exception an action handler throws, around another one (a
 * {@code ManualDelayedActionScheduler} in tests). A scheduler retries a handler that throws, so
 * the failure is easily missed; a provider module's handler should answer retry or give up with a
 * reason instead, also for a fuzzed provider answer or stored payload, and
 * {@link #assertNoHandlerThrew()} holds it to that.
 */
public final class WatchedScheduler implements DelayedActionScheduler {

    private final DelayedActionScheduler delegate;
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    /** Watches the handlers registered through it on {@code delegate}. */
    public WatchedScheduler(DelayedActionScheduler delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Throws the first exception a handler threw, wrapped, if any did.
     *
     * @throws AssertionError if a handler threw
     */
    public void assertNoHandlerThrew() {
        if (!thrown.isEmpty()) {
            throw new AssertionError(thrown.size() + " action run(s) threw instead of answering retry or give up",
                    thrown.get(0));
        }
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        Objects.requireNonNull(handler, "handler");
        delegate.register(type, context -> {
            try {
                return handler.execute(context);
            } catch (Throwable e) {
                thrown.add(e);
                throw e;
            }
        }, retries);
    }

    @Override
    public RetrySchedule defaultRetries() {
        return delegate.defaultRetries();
    }

    @Override
    public boolean schedule(DelayedAction action) {
        return delegate.schedule(action);
    }

    @Override
    public boolean runNow(String type, String key) {
        return delegate.runNow(type, key);
    }

    @Override
    public List<PendingAction> pending() {
        return delegate.pending();
    }

    @Override
    public List<DeadAction> dead() {
        return delegate.dead();
    }

    @Override
    public SchedulerHealth health() {
        return delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
