package org.callbackkit.examples.docs;

import java.time.Clock;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;

/** A provider of the host's own, without a module: one endpoint, its work delayed (docs/architecture.md). */
final class MyProvider {

    private MyProvider() {
    }

    static CallbackRouter router(Clock clock, CallbackJournal journal, DelayedActionScheduler scheduler) {
        // tag::own-endpoint[]
        var router = CallbackRouter.builder()
                .journal(journal)
                .clock(clock)
                .endpoint(CallbackEndpoint.builder("myprovider", "paid")
                        .path("/myprovider/paid/{orderId}").methods("POST").contentTypes("application/json")
                        .orderReferenceParameter("orderId")             // the console finds the order by it
                        .handler(request -> {
                            String orderId = request.pathParameter("orderId").orElseThrow();
                            CallbackJson.readObject(request);           // strict JSON object, or a 400 with a short reason
                            scheduler.schedule(new DelayedAction("shop.paid", orderId, "{}", clock.instant().plusSeconds(120)));
                            return CallbackResponse.ok();                // answer at once, work later
                        })
                        .build())
                .build();
        // end::own-endpoint[]
        return router;
    }
}
