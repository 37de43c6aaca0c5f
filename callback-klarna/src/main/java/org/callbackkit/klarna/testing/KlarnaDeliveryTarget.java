package org.callbackkit.klarna.testing;

import java.util.List;
import java.util.Optional;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.klarna.FraudEvent;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement.Call;

/**
 * Klarna's push for callback-test's {@code ProviderDeliveryContract}: on the given store and
 * scheduler, with an in-process {@link FakeKlarnaOrderManagement}; paid is an order of 1 x sku-1 at
 * 100.00, cancelled the same order {@code CANCELLED}. Also counts acknowledgements.
 */
public final class KlarnaDeliveryTarget extends DeliveryTarget implements KlarnaShop {

    private static final long AMOUNT = 10_000;

    private final FakeKlarnaOrderManagement api = new FakeKlarnaOrderManagement();
    private final ManualDelayedActionScheduler scheduler;
    private final KlarnaCallbacks callbacks;

    /** The module on {@code store} and {@code scheduler}. */
    public KlarnaDeliveryTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        this.scheduler = scheduler;
        this.callbacks = KlarnaCallbacks.builder().environment(KlarnaEnvironment.PLAYGROUND).api(api).shop(this)
                .scheduler(scheduler).clock(scheduler.clock()).stateStore(store).journal(new InMemoryCallbackJournal()).build();
        mount(callbacks.endpoints(), scheduler.clock());
    }

    /** The fake Order Management: {@link FakeKlarnaOrderManagement#acknowledged()} tells how often each order was. */
    public FakeKlarnaOrderManagement api() {
        return api;
    }

    @Override
    public CallbackRequest paidCallback(String orderId) {
        return new KlarnaCallbackRequests(KlarnaFlavour.KLARNA).receivedAt(scheduler.clock().instant()).push(orderId)
                .build();
    }

    @Override
    public void providerHasPaid(String orderId) {
        api.putOrder(KlarnaOrderBuilder.order(orderId).line("sku-1", 1, AMOUNT).build());
    }

    @Override
    public void providerHasCancelled(String orderId) {
        api.putOrder(KlarnaOrderBuilder.order(orderId).status("CANCELLED").line("sku-1", 1, AMOUNT).build());
    }

    @Override
    public void providerFailsNext(int status) {
        api.failNext(Call.GET_ORDER, status, "SERVICE_UNAVAILABLE");
    }

    @Override
    public Settlement confirm(String orderId) {
        return callbacks.confirmOrder(orderId);
    }

    @Override
    public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
        return shopHas(klarnaOrderId)
                ? Optional.of(KlarnaShopOrder.of("shop-" + klarnaOrderId, "SEK", AMOUNT)
                        .withLines(List.of(new KlarnaShopOrder.Line("sku-1", 1))))
                : Optional.empty();
    }

    @Override
    public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        toldPaid(order.orderId());
    }

    @Override
    public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        told(order.orderId(), "mismatch: " + differences);
    }

    @Override
    public void fraudDecision(KlarnaOrder order, KlarnaShopOrder shopOrder, FraudEvent event) {
        told(order.orderId(), event.name());
    }
}
