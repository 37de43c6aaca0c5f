package org.callbackkit.ecster.testing;

import java.util.Optional;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterOrderState;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;

/**
 * Ecster's module for callback-test's {@code ProviderDeliveryContract}: on the given store and
 * scheduler, with an in-process {@link FakeEcsterApi}; paid is {@code READY}, cancelled {@code DENIED}.
 */
public final class EcsterDeliveryTarget extends DeliveryTarget implements EcsterShop {

    private static final long AMOUNT = 9_900;

    private final FakeEcsterApi api = new FakeEcsterApi();
    private final ManualDelayedActionScheduler scheduler;
    private final EcsterCallbacks callbacks;

    /** The module on {@code store} and {@code scheduler}, with its 120 s processing delay. */
    public EcsterDeliveryTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        this.scheduler = scheduler;
        this.callbacks = EcsterCallbacks.builder().api(api).shop(this).scheduler(scheduler).clock(scheduler.clock())
                .stateStore(store).build();
        mount(callbacks.endpoints(), scheduler.clock());
    }

    @Override
    public CallbackRequest paidCallback(String orderId) {
        return new EcsterCallbackRequests().receivedAt(scheduler.clock().instant()).notification(orderId, "READY");
    }

    @Override
    public void providerHasPaid(String orderId) {
        api.putOrder(EcsterOrderBuilder.order(orderId).status("READY").line("mug-1", "Mug", 1, AMOUNT).build());
    }

    @Override
    public void providerHasCancelled(String orderId) {
        api.setStatus(orderId, "DENIED");
    }

    @Override
    public void providerFailsNext(int status) {
        api.failNext(status);
    }

    @Override
    public Settlement confirm(String orderId) {
        return callbacks.confirmOrder(orderId);
    }

    @Override
    public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
        return shopHas(ecsterOrderId) ? Optional.of(new EcsterShopOrder("shop-" + ecsterOrderId, AMOUNT, "SEK", false)) : Optional.empty();
    }

    @Override
    public void onStateChange(EcsterStateChange change) {
        if (change.state() == EcsterOrderState.PAID) {
            toldPaid(change.order().id());
        } else {
            told(change.order().id(), change.state().name());
        }
    }
}
