package org.callbackkit.avarda;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callbackkit.avarda.AvardaStateChange.Kind;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.OrderFlow;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Avarda's side of the engine: read the payment, find the shop's order, and the pure decision between them. */
final class AvardaFlow implements OrderFlow<AvardaPayment, AvardaShopOrder, AvardaFlow.Change> {

    private static final Logger LOG = LoggerFactory.getLogger(AvardaFlow.class);

    /** What the shop is told: paid, or on hold and why. */
    record Change(Kind kind, String reason) {
    }

    private final AvardaApi api;
    private final AvardaShop shop;
    private final BigDecimal amountTolerance;

    AvardaFlow(AvardaApi api, AvardaShop shop, BigDecimal amountTolerance) {
        this.api = api;
        this.shop = shop;
        this.amountTolerance = amountTolerance;
    }

    @Override
    public String name() {
        return AvardaCallbacks.ACTION_TYPE;
    }

    @Override
    public Optional<AvardaShopOrder> findShopOrder(String purchaseId, Optional<String> hint) {
        return shop.findOrder(purchaseId);
    }

    @Override
    public boolean settledInShop(AvardaShopOrder shopOrder) {
        return shopOrder.paid();
    }

    @Override
    public AvardaPayment fetch(String purchaseId) {
        return api.getPayment(purchaseId);
    }

    /** Completed and matching settles as paid; completed but different is held and given up; expired is given up. */
    @Override
    public Decision<Change> decide(AvardaPayment payment, Optional<AvardaShopOrder> shopOrder, OrderState state) {
        return decideOn(payment, shopOrder).withProviderStatus(payment.step());
    }

    private Decision<Change> decideOn(AvardaPayment payment, Optional<AvardaShopOrder> shopOrder) {
        String purchaseId = payment.purchaseId();
        if (shopOrder.isEmpty()) {
            return Decision.waitFor("the shop has no order for Avarda purchase " + purchaseId);
        }
        String reference = shopOrder.get().reference();
        String step = UntrustedText.printable(payment.step());
        return switch (payment.state()) {
            case COMPLETED -> {
                List<String> differences = differences(payment, shopOrder.get(), amountTolerance);
                if (differences.isEmpty()) {
                    yield Decision.settle(new Change(Kind.PAID, ""),
                            "Avarda purchase " + purchaseId + " completed: shop order " + reference + " reported paid");
                }
                String reason = String.join("; ", differences);
                yield Decision.giveUp("on-hold", new Change(Kind.ON_HOLD, reason),
                        "shop order " + reference + " on hold: " + reason);
            }
            case EXPIRED -> Decision.giveUp("Avarda purchase " + purchaseId + " is " + step
                    + ": it will not complete; shop order " + reference + " is not paid");
            default -> Decision.waitFor("Avarda purchase " + purchaseId + " is not completed yet (step " + step + ")");
        };
    }

    static List<String> differences(AvardaPayment payment, AvardaShopOrder shopOrder, BigDecimal amountTolerance) {
        List<String> differences = new ArrayList<>();
        if (!payment.currency().isEmpty() && !payment.currency().equalsIgnoreCase(shopOrder.currency())) {
            differences.add("currency " + UntrustedText.printable(payment.currency()) + " at Avarda, " + shopOrder.currency()
                    + " in the shop");
        }
        if (payment.totalPrice().subtract(shopOrder.total()).abs().compareTo(amountTolerance) > 0) {
            differences.add("total " + payment.totalPrice().toPlainString() + " at Avarda, "
                    + shopOrder.total().toPlainString() + " in the shop");
        }
        return differences;
    }

    @Override
    public void tell(Change change, AvardaPayment payment, AvardaShopOrder shopOrder, Source source) {
        if (change.kind() == Kind.ON_HOLD) {
            LOG.warn("Avarda purchase {} differs from shop order {}: {}", payment.purchaseId(), shopOrder.reference(),
                    change.reason());
        }
        shop.onStateChange(new AvardaStateChange(change.kind(), payment, shopOrder, source, change.reason()));
    }
}
