package org.callbackkit.examples;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.klarna.FraudStatus;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaCheckoutAnswer;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo shop's Klarna wiring, the way a real shop writes it: a {@link KlarnaShop} over the
 * shop's orders and a validator. Klarna itself is played by {@link FakeKlarnaOrderManagement}
 * served on loopback, so the module's real HTTP client re-reads and acknowledges orders over a
 * socket. One order, {@value #SHOP_ORDER_ID}, is bought through Klarna order {@value #KLARNA_ORDER_ID}.
 */
final class DemoKlarna implements KlarnaShop, AutoCloseable {

    /** Klarna's id of the demo purchase. */
    static final String KLARNA_ORDER_ID = "4f1c2b7e-5001-4d6a-9c1e-0d3m0k1arna";
    /** The shop's order it pays. */
    static final String SHOP_ORDER_ID = "5001";
    /** What it costs, in öre. */
    static final long AMOUNT = 24900;
    /** The article the demo sells. */
    static final String SKU = "demo-sku-1";
    /** An article out of stock: a validation for a cart holding it is refused with a redirect. */
    static final String SOLD_OUT_SKU = "sold-out-sku";
    /** Where a refused shopper is sent. */
    static final URI SOLD_OUT_PAGE = URI.create("https://shop.example/cart?sold-out=" + SOLD_OUT_SKU);

    private static final Logger LOG = LoggerFactory.getLogger(DemoKlarna.class);

    private final DemoOrders orders;
    private final FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement();
    private final KlarnaCallbacks callbacks;

    DemoKlarna(DemoOrders orders, DelayedActionScheduler scheduler, CallbackJournal journal, StateStore state,
            Clock clock) {
        this.orders = orders;
        orders.add(SHOP_ORDER_ID, AMOUNT);
        klarnaApi.putOrder(KlarnaOrderBuilder.order(KLARNA_ORDER_ID).line(SKU, 1, AMOUNT).build());
        this.callbacks = KlarnaCallbacks.builder()
                .environment(KlarnaEnvironment.PLAYGROUND)
                .credentials(klarnaApi.credentials())
                .apiBaseUri(klarnaApi.serve())
                .shop(this)
                .validator(order -> order.orderLines().stream().anyMatch(line -> line.reference().equals(SOLD_OUT_SKU))
                        ? KlarnaCheckoutAnswer.redirect(SOLD_OUT_PAGE)
                        : KlarnaCheckoutAnswer.approve(),
                        // the demo's validator only turns away a sold-out article: when it fails, sell
                        KlarnaCheckoutAnswer.approve())
                .scheduler(scheduler)
                .stateStore(state)
                .journal(journal)
                .clock(clock)
                .build();
    }

    /** A cart holding the sold-out article, as Klarna sends it for validation. */
    static KlarnaOrder soldOutCart() {
        return KlarnaOrderBuilder.order(KLARNA_ORDER_ID).status("checkout_incomplete").fraudStatus(null)
                .line(SOLD_OUT_SKU, 1, AMOUNT).build();
    }

    List<CallbackEndpoint> endpoints() {
        return callbacks.endpoints();
    }

    Map<String, String> merchantUrls(String mountUrl) {
        return callbacks.merchantUrls(mountUrl);
    }

    @Override
    public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
        if (!klarnaOrderId.equals(KLARNA_ORDER_ID)) {
            return Optional.empty();
        }
        return orders.find(SHOP_ORDER_ID).map(order -> new KlarnaShopOrder(order.id(), "SEK", order.amountMinor(),
                List.of(new KlarnaShopOrder.Line(SKU, 1)), order.status() == DemoOrders.Status.PAID));
    }

    @Override
    public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        if (order.fraudStatus() == FraudStatus.ACCEPTED) {
            orders.markPaid(shopOrder.reference());
        } else {
            LOG.warn("Klarna order {} is {}: the demo shop would hold order {}", order.orderId(), order.fraudStatus(),
                    shopOrder.reference());
        }
    }

    @Override
    public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        LOG.warn("Klarna order {} does not match shop order {}: {}", order.orderId(), shopOrder.reference(), differences);
    }

    @Override
    public void close() {
        callbacks.close();
        klarnaApi.close();
    }
}
