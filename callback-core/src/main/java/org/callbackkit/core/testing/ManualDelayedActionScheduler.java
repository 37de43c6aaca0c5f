package org.callbackkit.core.testing;

import java.time.Duration;
import java.util.List;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * A scheduler for tests: nothing runs until the test says so, and then on the test's own thread.
 * Time is a {@link MutableClock}; {@link #tick(Duration)} moves it and runs what became due.
 * Never sleeps. Behaves like {@link InMemoryDelayedActionScheduler} in every other respect
 * (dedup, retries, dead actions, health).
 */
public final class ManualDelayedActionScheduler implements DelayedActionScheduler {

    private final MutableClock clock;
    private final InMemoryDelayedActionScheduler delegate;

    /** A manual scheduler on {@code clock}, with the in-memory scheduler's default retries. */
    public ManualDelayedActionScheduler(MutableClock clock) {
        this(clock, InMemoryDelayedActionScheduler.DEFAULT_RETRIES);
    }

    /** A manual scheduler on {@code clock} whose types registered without a schedule use {@code defaultRetries}. */
    public ManualDelayedActionScheduler(MutableClock clock, RetrySchedule defaultRetries) {
        this(clock, defaultRetries, Duration.ofMinutes(5));
    }

    /** As {@link #ManualDelayedActionScheduler(MutableClock, RetrySchedule)}, overdue after {@code overdueAfter}. */
    public ManualDelayedActionScheduler(MutableClock clock, RetrySchedule defaultRetries, Duration overdueAfter) {
        this.clock = clock;
        this.delegate = InMemoryDelayedActionScheduler.builder()
                .clock(clock)
                .threads(0)
                .defaultRetries(defaultRetries)
                .overdueAfter(overdueAfter)
                .build();
    }

    /** Moves the clock forward by {@code duration}, then runs every action due; returns how many ran. */
    public int tick(Duration duration) {
        clock.advance(duration);
        return runDue();
    }

    /** Runs every action due now, on this thread; returns how many runs were made. */
    public int runDue() {
        return delegate.runDue();
    }

    /** The clock this scheduler reads. */
    public MutableClock clock() {
        return clock;
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

    /** {@inheritDoc} Nothing runs until {@link #runDue()} or {@link #tick(Duration)}. */
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
