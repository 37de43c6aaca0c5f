package org.callbackkit.examples;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterOrderState;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;

/**
 * The demo shop's Ecster Pay wiring: two orders paid in Swish, {@value #MOBILE_SHOP_ORDER} whose
 * shopper never comes back to the browser and {@value #RACE_SHOP_ORDER} whose browser confirms
 * before the notification's delayed action runs. Ecster's API is a loopback fake started here and
 * read by the module's real HTTP client.
 */
final class DemoEcster implements EcsterShop, AutoCloseable {

    static final String HEADER = "X-Ecster-Notification";
    static final String HEADER_VALUE = "demo-ecster-shared-header-value";
    static final String MOBILE_ORDER = "ecsterMobile0001";
    static final String RACE_ORDER = "ecsterRace0002";
    static final String MOBILE_SHOP_ORDER = "3001";
    static final String RACE_SHOP_ORDER = "3002";
    static final long AMOUNT = 24_900;

    private final FakeEcsterApi api = new FakeEcsterApi();
    private final DemoOrders orders;
    private final Map<String, String> shopOrderByEcsterId = Map.of(MOBILE_ORDER, MOBILE_SHOP_ORDER, RACE_ORDER,
            RACE_SHOP_ORDER);
    private final EcsterCallbacks callbacks;

    DemoEcster(DemoOrders orders, DelayedActionScheduler scheduler, CallbackJournal journal, StateStore state, Clock clock,
            Duration delay) {
        this.orders = orders;
        shopOrderByEcsterId.forEach((ecsterOrder, shopOrder) -> {
            orders.add(shopOrder, AMOUNT);
            api.putOrder(EcsterOrderBuilder.order(ecsterOrder).status("FULLY_DELIVERED").paymentMethod("SWISH")
                    .line("mug-1", "Mug", 1, AMOUNT).build());
        });
        callbacks = EcsterCallbacks.builder()
                .apiBaseUri(api.serve())
                .credentials(api.credentials())
                .sharedHeader(HEADER, HEADER_VALUE)
                .shop(this)
                .scheduler(scheduler)
                .stateStore(state)
                .journal(journal)
                .clock(clock)
                .processingDelay(delay)
                .build();
    }

    @Override
    public Optional<EcsterShopOrder> findOrder(String ecsterOrder) {
        return Optional.ofNullable(shopOrderByEcsterId.get(ecsterOrder)).flatMap(orders::find)
                .map(order -> new EcsterShopOrder(order.id(), order.amountMinor(), "SEK",
                        order.status() == DemoOrders.Status.PAID));
    }

    @Override
    public void onStateChange(EcsterStateChange change) {
        if (change.state() == EcsterOrderState.PAID) {
            orders.markPaid(change.shopOrder().reference());
        }
    }

    List<CallbackEndpoint> endpoints() {
        return callbacks.endpoints();
    }

    /** The return page's work: what the shopper sees when the browser does come back. */
    Map<String, Object> confirm(String ecsterOrderId) {
        Settlement settlement = callbacks.confirmOrder(ecsterOrderId);
        return Map.of("result", settlement.outcome().name(), "paid", settlement.settled(), "status",
                settlement.providerStatus(), "detail", settlement.detail());
    }

    @Override
    public void close() {
        api.close();
    }
}
