package org.callbackkit.klarna;

import java.util.Objects;

/**
 * What confirming a Klarna order did, for the confirmation page to show and the journal to keep.
 *
 * @param orderId Klarna's order id
 * @param result what happened
 * @param detail a plain sentence for an operator
 */
public record KlarnaConfirmation(String orderId, Result result, String detail) {

    /** @throws NullPointerException if a component is null */
    public KlarnaConfirmation {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }

    /** What happened. */
    public enum Result {
        /** The shop confirmed the order just now, and Klarna was acknowledged. */
        CONFIRMED,
        /** The shop had already confirmed it (another path); Klarna was acknowledged now. */
        ACKNOWLEDGED,
        /** Acknowledged before: nothing was called. */
        ALREADY_ACKNOWLEDGED,
        /** Amount or lines differ: not confirmed, not acknowledged; the shop was told. */
        MISMATCH,
        /** The shop has no order for it yet: not acknowledged. */
        SHOP_ORDER_NOT_FOUND
    }

    /** Whether the shop's order is confirmed after this call. */
    public boolean confirmed() {
        return result == Result.CONFIRMED || result == Result.ACKNOWLEDGED || result == Result.ALREADY_ACKNOWLEDGED;
    }
}
