package org.callbackkit.core.testing;

import java.time.Duration;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ForwardingDelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;

/**
 * A scheduler for tests: nothing runs until the test says so, and then on the test's own thread.
 * Time is a {@link MutableClock}; {@link #tick(Duration)} moves it and runs what became due.
 * Never sleeps. Behaves like {@link InMemoryDelayedActionScheduler} in every other respect
 * (dedup, retries, dead actions, health); {@link #runNow} makes an action due, and it runs at the
 * next {@link #runDue()} or {@link #tick(Duration)}.
 */
public final class ManualDelayedActionScheduler extends ForwardingDelayedActionScheduler {

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
        this(clock, InMemoryDelayedActionScheduler.builder()
                .clock(clock)
                .threads(0)
                .defaultRetries(defaultRetries)
                .overdueAfter(overdueAfter)
                .build());
    }

    private ManualDelayedActionScheduler(MutableClock clock, InMemoryDelayedActionScheduler delegate) {
        super(delegate);
        this.clock = clock;
        this.delegate = delegate;
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








}
