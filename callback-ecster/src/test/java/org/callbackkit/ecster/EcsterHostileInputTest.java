package org.callbackkit.ecster;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.test.HostileInputContract;
import org.callbackkit.test.HostileInputTarget;

/** Ecster's notification endpoint, with its shared header check on, against the hostile input kit. */
class EcsterHostileInputTest extends HostileInputContract {

    private static final String ORDER = "eYBtAD0wTZIzDWkVpGhe";

    @Override
    protected HostileInputTarget createTarget() {
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
        TestShop shop = new TestShop().link(ORDER, "1001");
        AtomicLong calls = new AtomicLong();
        EcsterShop counted = new EcsterShop() {
            @Override
            public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
                calls.incrementAndGet();
                return shop.findOrder(ecsterOrderId);
            }

            @Override
            public Optional<EcsterShopOrder> findByTemporaryReference(String temporaryReference) {
                calls.incrementAndGet();
                return shop.findByTemporaryReference(temporaryReference);
            }

            @Override
            public void onStateChange(EcsterStateChange change) {
                calls.incrementAndGet();
                shop.onStateChange(change);
            }
        };
        EcsterCallbacks callbacks = EcsterCallbacks.builder().api(new FakeEcsterApi())
                .shop(counted)                .scheduler(scheduler).clock(clock).sharedHeader("X-Shop-Token", "token-for-hostile-input").build();
        CallbackRouter router = CallbackRouter.builder().journal(new InMemoryCallbackJournal()).clock(clock)
                .endpoints(callbacks.endpoints()).build();
        EcsterCallbackRequests requests = new EcsterCallbackRequests()
                .sharedHeader("X-Shop-Token", "token-for-hostile-input").receivedAt(clock.instant());
        return HostileInputTarget.builder(router)
                .sample("notification", requests.notification(ORDER, "READY"))
                .listenerCalls(calls::get)
                .scheduler(scheduler)
                .build();
    }
}
