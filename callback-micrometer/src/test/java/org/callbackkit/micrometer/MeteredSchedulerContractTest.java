package org.callbackkit.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.DelayedActionSchedulerContract;

/** The metered scheduler keeps every promise of the scheduler it decorates. */
class MeteredSchedulerContractTest extends DelayedActionSchedulerContract {

    private ManualDelayedActionScheduler manual;

    @Override
    protected DelayedActionScheduler createScheduler(MutableClock clock, RetrySchedule defaultRetries, Duration overdueAfter) {
        manual = new ManualDelayedActionScheduler(clock, defaultRetries, overdueAfter);
        return new CallbackMetrics(new SimpleMeterRegistry()).scheduler(manual);
    }

    @Override
    protected void runDue(DelayedActionScheduler scheduler) {
        manual.runDue();
    }
}
