package org.callbackkit.ecster;

import java.util.Optional;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.OrderFlow;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ecster's side of the engine: read the order, find the shop's, and the pure decision between them. */
final class EcsterFlow implements OrderFlow<EcsterOrder, EcsterShopOrder, EcsterOrderState> {

    private static final Logger LOG = LoggerFactory.getLogger(EcsterFlow.class);

    private final EcsterApi api;
    private final EcsterShop shop;

    EcsterFlow(EcsterApi api, EcsterShop shop) {
        this.api = api;
        this.shop = shop;
    }

    @Override
    public String name() {
        return EcsterCallbacks.ACTION_TYPE;
    }

    @Override
    public Optional<EcsterShopOrder> findShopOrder(String ecsterOrderId, Optional<String> temporaryReference) {
        Optional<EcsterShopOrder> found = shop.findOrder(ecsterOrderId);
        return found.isPresent() || temporaryReference.isEmpty() ? found
                : shop.findByTemporaryReference(temporaryReference.get());
    }

    @Override
    public boolean settledInShop(EcsterShopOrder shopOrder) {
        return shopOrder.paid();
    }

    @Override
    public EcsterOrder fetch(String ecsterOrderId) {
        return api.getOrder(ecsterOrderId);
    }

    @Override
    public Optional<EcsterShopOrder> createShopOrder(EcsterOrder order) {
        if (order.state() != EcsterOrderState.PAID) {
            return Optional.empty();
        }
        Optional<EcsterShopOrder> created = shop.createOrder(order);
        created.ifPresent(shopOrder -> LOG.warn("Created shop order {} from Ecster order {} ({}): backup order creation",
                shopOrder.reference(), order.id(), UntrustedText.printable(order.status())));
        return created;
    }

    /** Paid settles; any other status is told once; without a shop order, wait (unless nothing can come of it). */
    static Decision<EcsterOrderState> decide(EcsterOrder order, Optional<EcsterShopOrder> shopOrder) {
        EcsterOrderState state = order.state();
        String status = UntrustedText.printable(order.status());
        if (shopOrder.isEmpty()) {
            String missing = "the shop has no order for Ecster order " + order.id() + " (Ecster status " + status + ")";
            return state == EcsterOrderState.CANCELLED || state == EcsterOrderState.FAILED
                    ? Decision.nothing(missing + "; nothing to cancel")
                    : Decision.waitFor(missing);
        }
        String reference = shopOrder.get().reference();
        if (state == EcsterOrderState.PAID) {
            return Decision.settle(state, "Ecster says " + status + ": shop order " + reference + " reported paid");
        }
        return Decision.tellOnce("status:" + status, state, "Ecster says " + status + " for shop order " + reference
                + ": reported " + state);
    }

    @Override
    public Decision<EcsterOrderState> decide(EcsterOrder order, Optional<EcsterShopOrder> shopOrder, OrderState state) {
        return decide(order, shopOrder).withProviderStatus(order.status());
    }

    @Override
    public void tell(EcsterOrderState state, EcsterOrder order, EcsterShopOrder shopOrder, Source source) {
        shop.onStateChange(new EcsterStateChange(state, order, shopOrder, source));
    }
}
