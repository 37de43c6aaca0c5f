package org.callbackkit.examples.docs;

import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.HostileInputContract;
import org.callbackkit.test.HostileInputTarget;

// tag::hostile-input[]
class MyProviderHostileInputTest extends HostileInputContract {
    @Override
    protected HostileInputTarget createTarget() {
        var clock = MutableClock.atFixedStart();
        var scheduler = new ManualDelayedActionScheduler(clock);
        var calls = new AtomicLong();
        scheduler.register("shop.paid", context -> {
            calls.incrementAndGet();
            return ActionResult.done();
        });
        var router = MyProvider.router(clock, new InMemoryCallbackJournal(), scheduler);
        return HostileInputTarget.builder(router)
                .sample("paid", CallbackRequests.postJson("/myprovider/paid/42", "{\"orderId\":\"42\"}").build())
                .listenerCalls(calls::get)
                .scheduler(scheduler)
                .build();
    }
}
// end::hostile-input[]
