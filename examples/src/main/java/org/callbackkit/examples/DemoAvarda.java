package org.callbackkit.examples;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.StateStore;

/**
 * The demo shop's Avarda Checkout wiring: two purchases completed in BankID,
 * {@value #MOBILE_SHOP_ORDER} whose shopper never comes back and {@value #RACE_SHOP_ORDER} whose
 * browser confirms before the delayed action runs. Avarda's API (token and payment) is a loopback
 * fake started here and read by the module's real HTTP client.
 */
final class DemoAvarda implements AvardaShop, AutoCloseable {

    static final String AUTHORIZATION = "Basic ZGVtby1zaG9wOmRlbW8tYXZhcmRhLWNhbGxiYWNr";
    static final String MOBILE_PURCHASE = "avardaMobile0001";
    static final String RACE_PURCHASE = "avardaRace0002";
    static final String MOBILE_SHOP_ORDER = "4001";
    static final String RACE_SHOP_ORDER = "4002";
    static final long AMOUNT = 59_900;

    private final FakeAvardaApi api;
    private final DemoOrders orders;
    private final Map<String, String> shopOrderByPurchase = Map.of(MOBILE_PURCHASE, MOBILE_SHOP_ORDER, RACE_PURCHASE,
            RACE_SHOP_ORDER);
    private final AvardaCallbacks callbacks;

    DemoAvarda(DemoOrders orders, DelayedActionScheduler scheduler, CallbackJournal journal, StateStore state, Clock clock,
            Duration delay) {
        this.orders = orders;
        api = new FakeAvardaApi().clock(clock);
        BigDecimal total = BigDecimal.valueOf(AMOUNT, 2);
        shopOrderByPurchase.forEach((purchase, shopOrder) -> {
            orders.add(shopOrder, AMOUNT);
            api.putPayment(AvardaPaymentBuilder.payment(purchase).step("Completed").totalPrice(total.toPlainString())
                    .build());
        });
        callbacks = AvardaCallbacks.builder()
                .apiBaseUri(api.serve())
                .credentials(api.credentials())
                .authorization(AUTHORIZATION)
                .shop(this)
                .scheduler(scheduler)
                .stateStore(state)
                .journal(journal)
                .clock(clock)
                .processingDelay(delay)
                .build();
    }

    @Override
    public Optional<AvardaShopOrder> findOrder(String purchase) {
        return Optional.ofNullable(shopOrderByPurchase.get(purchase)).flatMap(orders::find)
                .map(order -> new AvardaShopOrder(order.id(), BigDecimal.valueOf(order.amountMinor(), 2), "SEK",
                        order.status() == DemoOrders.Status.PAID));
    }

    @Override
    public void onStateChange(AvardaStateChange change) {
        if (change.kind() == AvardaStateChange.Kind.PAID) {
            orders.markPaid(change.shopOrder().reference());
        }
    }

    List<CallbackEndpoint> endpoints() {
        return callbacks.endpoints();
    }

    /** The return page's work: what the shopper sees when the browser does come back. */
    Map<String, Object> confirm(String purchaseId) {
        Settlement settlement = callbacks.confirmOrder(purchaseId);
        return Map.of("result", settlement.outcome().name(), "paid", settlement.settled(), "status",
                settlement.providerStatus(), "detail", settlement.detail());
    }

    @Override
    public void close() {
        api.close();
    }
}
