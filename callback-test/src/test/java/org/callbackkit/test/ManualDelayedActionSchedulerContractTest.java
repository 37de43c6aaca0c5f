package org.callbackkit.test;

import java.time.Duration;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;

class ManualDelayedActionSchedulerContractTest extends DelayedActionSchedulerContract {

    @Override
    protected DelayedActionScheduler createScheduler(MutableClock clock, RetrySchedule defaultRetries, Duration overdueAfter) {
        return new ManualDelayedActionScheduler(clock, defaultRetries, overdueAfter);
    }

    @Override
    protected void runDue(DelayedActionScheduler scheduler) {
        ((ManualDelayedActionScheduler) scheduler).runDue();
    }
}
