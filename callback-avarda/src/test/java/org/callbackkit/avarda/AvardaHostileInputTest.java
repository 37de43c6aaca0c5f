package org.callbackkit.avarda;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.HostileInputContract;
import org.callbackkit.test.HostileInputTarget;

/** Avarda's notification endpoint, with its Authorization check on, against the hostile input kit. */
class AvardaHostileInputTest extends HostileInputContract {

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";
    private static final String AUTHORIZATION = "Bearer token-for-hostile-input";

    @Override
    protected HostileInputTarget createTarget() {
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        TestShop shop = new TestShop().add(PURCHASE, "1001", "123.45");
        AtomicLong calls = new AtomicLong();
        AvardaCallbacks callbacks = AvardaCallbacks.builder().api(new FakeAvardaApi())
                .shop(new AvardaShop() {
                    @Override
                    public Optional<AvardaShopOrder> findOrder(String purchaseId) {
                        calls.incrementAndGet();
                        return shop.findOrder(purchaseId);
                    }

                    @Override
                    public void onStateChange(AvardaStateChange change) {
                        calls.incrementAndGet();
                        shop.onStateChange(change);
                    }
                })
                .scheduler(scheduler).clock(clock).authorization(AUTHORIZATION).build();
        CallbackRouter router = CallbackRouter.builder().journal(new InMemoryCallbackJournal()).clock(clock)
                .endpoints(callbacks.endpoints()).build();
        return HostileInputTarget.builder(router)
                .sample("notification", CallbackRequest.builder().method("POST").path(AvardaCallbacks.DEFAULT_PATH)
                        .header("Authorization", AUTHORIZATION).receivedAt(clock.instant())
                        // no media type: Avarda documents none, so the endpoint takes any and parses strictly
                        .body(("{\"purchaseId\":\"" + PURCHASE + "\"}").getBytes(StandardCharsets.UTF_8)).build())
                .listenerCalls(calls::get)
                .scheduler(scheduler)
                .build();
    }
}
