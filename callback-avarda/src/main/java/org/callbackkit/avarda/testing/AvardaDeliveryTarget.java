package org.callbackkit.avarda.testing;

import java.math.BigDecimal;
import java.util.Optional;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;

/**
 * Avarda's module for callback-test's {@code ProviderDeliveryContract}: on the given store and
 * scheduler, with an in-process {@link FakeAvardaApi}; paid is step {@code Completed} for 123.45,
 * cancelled {@code TimedOut}.
 */
public final class AvardaDeliveryTarget extends DeliveryTarget implements AvardaShop {

    private static final String TOTAL = "123.45";

    private final FakeAvardaApi api;
    private final ManualDelayedActionScheduler scheduler;
    private final AvardaCallbacks callbacks;

    /** The module on {@code store} and {@code scheduler}, with its 120 s processing delay. */
    public AvardaDeliveryTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        this.scheduler = scheduler;
        this.api = new FakeAvardaApi().clock(scheduler.clock());
        this.callbacks = AvardaCallbacks.builder().api(api).shop(this).scheduler(scheduler).clock(scheduler.clock())
                .stateStore(store).build();
        mount(callbacks.endpoints(), scheduler.clock());
    }

    @Override
    public CallbackRequest paidCallback(String purchaseId) {
        return new AvardaCallbackRequests().receivedAt(scheduler.clock().instant()).completed(purchaseId);
    }

    @Override
    public void providerHasPaid(String purchaseId) {
        api.putPayment(AvardaPaymentBuilder.payment(purchaseId).step("Completed").totalPrice(TOTAL).build());
    }

    @Override
    public void providerHasCancelled(String purchaseId) {
        api.setStep(purchaseId, "TimedOut");
    }

    @Override
    public void providerFailsNext(int status) {
        api.failNext(status);
    }

    @Override
    public Settlement confirm(String purchaseId) {
        return callbacks.confirmOrder(purchaseId);
    }

    @Override
    public Optional<AvardaShopOrder> findOrder(String purchaseId) {
        return shopHas(purchaseId)
                ? Optional.of(new AvardaShopOrder("shop-" + purchaseId, new BigDecimal(TOTAL), "SEK", false))
                : Optional.empty();
    }

    @Override
    public void onStateChange(AvardaStateChange change) {
        if (change.kind() == AvardaStateChange.Kind.PAID) {
            toldPaid(change.payment().purchaseId());
        } else {
            told(change.payment().purchaseId(), change.kind() + ": " + change.reason());
        }
    }
}
