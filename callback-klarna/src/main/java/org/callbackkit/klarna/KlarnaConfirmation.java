package org.callbackkit.klarna;

import java.util.Objects;

/**
 * What confirming a Klarna order did, for the confirmation page to show and the journal to keep.
 *
 * @param orderId Klarna's order id
 * @param result what happened
 * @param fraudStatus Klarna's fraud decision as Order Management reported it during this call;
 *     {@link FraudStatus#NOT_GIVEN} when the call did not read it (already acknowledged)
 * @param detail a plain sentence for an operator
 */
public record KlarnaConfirmation(String orderId, Result result, FraudStatus fraudStatus, String detail) {

    /** @throws NullPointerException if a component is null */
    public KlarnaConfirmation {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(fraudStatus, "fraudStatus");
        Objects.requireNonNull(detail, "detail");
    }

    /** What happened. */
    public enum Result {
        /**
         * The shop confirmed the order just now (or had, through this module), and Klarna was
         * acknowledged, or the acknowledgement failed and is retried in the background.
         */
        CONFIRMED,
        /** The shop had already confirmed it (another path); Klarna was acknowledged now. */
        ACKNOWLEDGED,
        /** Acknowledged before: nothing was called. */
        ALREADY_ACKNOWLEDGED,
        /** Amount, lines or state differ (e.g. cancelled at Klarna): not confirmed, not acknowledged; the shop was told. */
        MISMATCH,
        /** The shop has no order for it yet: not acknowledged. */
        SHOP_ORDER_NOT_FOUND
    }

    /**
     * Whether the shop's order is confirmed after this call: paid, or held for a fraud status
     * other than {@link FraudStatus#ACCEPTED}. Not proof of payment: see {@link #fraudStatus()}.
     */
    public boolean confirmed() {
        return result == Result.CONFIRMED || result == Result.ACKNOWLEDGED || result == Result.ALREADY_ACKNOWLEDGED;
    }
}
