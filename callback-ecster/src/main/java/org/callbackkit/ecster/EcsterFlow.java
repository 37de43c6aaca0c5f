package org.callbackkit.ecster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
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

    /** The follow-up that sets the shop's order reference on Ecster's order once it is paid. */
    static final String ORDER_REFERENCE = "orderReference";

    private static final Logger LOG = LoggerFactory.getLogger(EcsterFlow.class);

    private final EcsterApi api;
    private final EcsterShop shop;
    private final long amountTolerance;

    EcsterFlow(EcsterApi api, EcsterShop shop, long amountTolerance) {
        this.api = api;
        this.shop = shop;
        this.amountTolerance = amountTolerance;
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

    /** Ecster goes on after payment (partial delivery), and the shop hears it as a note. */
    @Override
    public boolean followsSettledOrders() {
        return true;
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

    /**
     * Paid and matching settles (then sets the shop's reference on Ecster's order, unless it has it);
     * paid but different is held; any other status is told once; without a shop order, wait (unless
     * nothing can come of it). On a settled order only a partial delivery is told.
     */
    static Decision<EcsterOrderState> decide(EcsterOrder order, Optional<EcsterShopOrder> shopOrder, boolean settled,
            long amountTolerance) {
        EcsterOrderState state = order.state();
        String status = UntrustedText.printable(order.status());
        if (shopOrder.isEmpty()) {
            String missing = "the shop has no order for Ecster order " + order.id() + " (Ecster status " + status + ")";
            return state == EcsterOrderState.CANCELLED || state == EcsterOrderState.FAILED
                    ? Decision.nothing(missing + "; nothing to cancel")
                    : Decision.waitFor(missing);
        }
        String reference = shopOrder.get().reference();
        String told = "Ecster says " + status + " for shop order " + reference + ": reported " + state;
        if (settled) {
            return state == EcsterOrderState.PARTIALLY_DELIVERED
                    ? Decision.tellOnce("status:" + status, state, told + " (the order is paid)")
                    : Decision.nothing("Ecster says " + status + " for shop order " + reference + ", paid already");
        }
        if (state != EcsterOrderState.PAID) {
            return Decision.tellOnce("status:" + status, state, told);
        }
        List<String> differences = differences(order, shopOrder.get(), amountTolerance);
        if (!differences.isEmpty()) {
            return Decision.giveUp("on-hold", EcsterOrderState.ON_HOLD, "Ecster says " + status + " but shop order "
                    + reference + " differs, so it is on hold, not paid: " + String.join("; ", differences));
        }
        Decision<EcsterOrderState> paid = Decision.settle(state,
                "Ecster says " + status + ": shop order " + reference + " reported paid");
        return order.orderReference().equals(Optional.of(reference)) ? paid : paid.withFollowUp(ORDER_REFERENCE, reference);
    }

    /** Where Ecster's order and the shop's differ: the currency, and the amount beyond the tolerance (minor units). */
    static List<String> differences(EcsterOrder order, EcsterShopOrder shopOrder, long amountTolerance) {
        List<String> differences = new ArrayList<>();
        if (!order.currency().equalsIgnoreCase(shopOrder.currency())) {
            differences.add("currency " + UntrustedText.printable(order.currency()) + " at Ecster, "
                    + shopOrder.currency() + " in the shop");
        }
        BigDecimal apart = BigDecimal.valueOf(order.amount()).subtract(BigDecimal.valueOf(shopOrder.amount())).abs();
        if (apart.compareTo(BigDecimal.valueOf(amountTolerance)) > 0) {
            differences.add("amount " + order.amount() + " at Ecster, " + shopOrder.amount() + " in the shop (minor units)");
        }
        return differences;
    }

    @Override
    public Decision<EcsterOrderState> decide(EcsterOrder order, Optional<EcsterShopOrder> shopOrder, OrderState state) {
        return decide(order, shopOrder, state.settled(), amountTolerance).withProviderStatus(order.status());
    }

    @Override
    public void tell(EcsterOrderState state, EcsterOrder order, EcsterShopOrder shopOrder, Source source) {
        String reason = "";
        if (state == EcsterOrderState.ON_HOLD) {
            reason = String.join("; ", differences(order, shopOrder, amountTolerance));
            LOG.warn("Ecster order {} differs from shop order {}: {}", order.id(), shopOrder.reference(), reason);
        }
        shop.onStateChange(new EcsterStateChange(state, order, shopOrder, source, reason));
    }

    @Override
    public void followUp(String ecsterOrderId, String name, String reference) {
        if (!name.equals(ORDER_REFERENCE)) {
            throw new IllegalStateException("no such follow-up: " + name);
        }
        api.updateOrderReference(ecsterOrderId, reference);
    }
}
