package org.callbackkit.ecster;

import java.util.Objects;

/**
 * What reading an Ecster order did, for the shopper's return page to show and the operator to read.
 *
 * @param ecsterOrderId Ecster's order id
 * @param result what happened
 * @param ecsterStatus Ecster's status as read now; empty when the order was already paid and
 *     Ecster was not asked
 * @param detail a plain sentence for an operator
 */
public record EcsterConfirmation(String ecsterOrderId, Result result, String ecsterStatus, String detail) {

    /** @throws NullPointerException if a component is null */
    public EcsterConfirmation {
        Objects.requireNonNull(ecsterOrderId, "ecsterOrderId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(ecsterStatus, "ecsterStatus");
        Objects.requireNonNull(detail, "detail");
    }

    /** What happened. */
    public enum Result {
        /** Ecster says paid and the shop was told so just now. */
        PAID,
        /** The shop already had the order as paid: nothing was reported (a later cancellation is not a downgrade). */
        ALREADY_PAID,
        /** Ecster is still waiting (payment, decision, signature, contract). */
        PENDING,
        /** Ecster denied, aborted, annulled, expired or stopped the order. */
        CANCELLED,
        /** Ecster says the order failed. */
        FAILED,
        /** Part of the order was delivered (debited). */
        PARTIALLY_DELIVERED,
        /** A status this module does not know: reported as it is, not acted on. */
        UNKNOWN_STATUS,
        /** The shop has no order for it (yet), and none was created. */
        SHOP_ORDER_NOT_FOUND
    }

    /** Whether the shop's order is paid after this call. */
    public boolean paid() {
        return result == Result.PAID || result == Result.ALREADY_PAID;
    }
}
