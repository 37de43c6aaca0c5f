package org.callbackkit.ecster;

import java.util.Objects;
import org.callbackkit.core.reconcile.Source;

/**
 * An Ecster order changed in a way the shop should apply: paid, on hold (paid at Ecster, but not
 * what the shop expects), cancelled, failed, partially delivered (also after it was paid), pending,
 * or a status this module does not know.
 *
 * @param state what the change means; {@link EcsterOrderState#PAID} is reported once per
 *     order, never for an order the shop has as paid; {@code CANCELLED} and {@code FAILED} never for a paid order
 * @param order the order as Ecster's API reports it now, never the notification's word
 * @param shopOrder the shop's order
 * @param source whether the shopper's browser or Ecster's notification got here first
 * @param reason for {@link EcsterOrderState#ON_HOLD}, what differs (e.g. {@code amount 12900 SEK at
 *     Ecster, 9900 SEK in the shop}); empty otherwise
 */
public record EcsterStateChange(EcsterOrderState state, EcsterOrder order, EcsterShopOrder shopOrder, Source source,
        String reason) {

    /** @throws NullPointerException if a component is null */
    public EcsterStateChange {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(shopOrder, "shopOrder");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }

    /** Ecster's status as sent, e.g. {@code READY}. */
    public String status() {
        return order.status();
    }
}
