package org.callbackkit.test;

import java.time.Duration;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;

/** The in-memory scheduler, driven by {@link InMemoryDelayedActionScheduler#runDue()} with no worker threads. */
class InMemoryDelayedActionSchedulerContractTest extends DelayedActionSchedulerContract {

    @Override
    protected DelayedActionScheduler createScheduler(MutableClock clock, RetrySchedule defaultRetries, Duration overdueAfter) {
        return InMemoryDelayedActionScheduler.builder().clock(clock).threads(0).defaultRetries(defaultRetries)
                .overdueAfter(overdueAfter).build();
    }

    @Override
    protected void runDue(DelayedActionScheduler scheduler) {
        ((InMemoryDelayedActionScheduler) scheduler).runDue();
    }
}
