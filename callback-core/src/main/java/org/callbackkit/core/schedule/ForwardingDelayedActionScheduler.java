package org.callbackkit.core.schedule;

import java.util.List;
import java.util.Objects;
import org.callbackkit.core.RetrySchedule;

/**
 * A scheduler that passes every call on to another one. Extend it to decorate a scheduler (meter
 * its runs, watch its handlers) and override only what the decoration changes; a method later
 * added to {@link DelayedActionScheduler} is passed on too, instead of falling to its default.
 */
public abstract class ForwardingDelayedActionScheduler implements DelayedActionScheduler {

    private final DelayedActionScheduler delegate;

    /**
     * Passes every call on to {@code delegate}.
     *
     * @throws NullPointerException if {@code delegate} is null
     */
    protected ForwardingDelayedActionScheduler(DelayedActionScheduler delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The scheduler every call is passed on to. */
    protected DelayedActionScheduler delegate() {
        return delegate;
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        delegate.register(type, handler, retries);
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
    public List<PendingAction> pending() {
        return delegate.pending();
    }

    @Override
    public List<DeadAction> dead() {
        return delegate.dead();
    }

    @Override
    public List<PendingAction> pending(ActionQuery query) {
        return delegate.pending(query);
    }

    @Override
    public List<DeadAction> dead(ActionQuery query) {
        return delegate.dead(query);
    }

    @Override
    public boolean runNow(String type, String key) {
        return delegate.runNow(type, key);
    }

    @Override
    public SchedulerHealth health() {
        return delegate.health();
    }

    /** Closes the scheduler it passes calls on to. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
