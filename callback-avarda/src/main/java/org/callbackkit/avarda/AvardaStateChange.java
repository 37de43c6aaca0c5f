package org.callbackkit.avarda;

import java.util.Objects;
import org.callbackkit.core.reconcile.Source;

/**
 * A completed Avarda purchase the shop should apply: paid, or on hold because Avarda's total or
 * currency differs from the shop's.
 *
 * @param kind paid or on hold; each is reported once per purchase, never for an order the shop has as paid
 * @param payment the purchase as Avarda's API reports it now, never the notification's word
 * @param shopOrder the shop's order
 * @param source whether the shopper's browser or Avarda's notification got here first
 * @param reason for {@link Kind#ON_HOLD}, what differs; empty for {@link Kind#PAID}
 */
public record AvardaStateChange(Kind kind, AvardaPayment payment, AvardaShopOrder shopOrder, Source source,
        String reason) {

    /** @throws NullPointerException if a component is null */
    public AvardaStateChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(shopOrder, "shopOrder");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }

    /** What to do with the order. */
    public enum Kind {
        /** Completed at Avarda and the totals match: mark the order paid. */
        PAID,
        /** Completed at Avarda but the totals differ: put the order on hold for an operator. */
        ON_HOLD
    }
}
