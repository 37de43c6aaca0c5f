package org.callbackkit.avarda;

import java.util.Objects;

/**
 * What reading an Avarda purchase did, for the shopper's return page to show and the operator to read.
 *
 * @param purchaseId Avarda's purchase id
 * @param result what happened
 * @param step Avarda's step as read now, e.g. {@code Completed}; empty when Avarda was not asked
 * @param detail a plain sentence for an operator
 */
public record AvardaConfirmation(String purchaseId, Result result, String step, String detail) {

    /** @throws NullPointerException if a component is null */
    public AvardaConfirmation {
        Objects.requireNonNull(purchaseId, "purchaseId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(detail, "detail");
    }

    /** What happened. */
    public enum Result {
        /** Completed, totals match, and the shop was told just now. */
        PAID,
        /** The shop already had the order as paid: Avarda was not asked, nothing was reported. */
        ALREADY_PAID,
        /** Completed, but the totals differ: the shop was told to hold the order (once). */
        ON_HOLD,
        /** Not completed (yet): the shopper or a payment step is still under way, or the step is unknown. */
        NOT_COMPLETED,
        /** Timed out or outdated at Avarda: it will not complete. */
        EXPIRED,
        /** The shop has no order for the purchase. */
        SHOP_ORDER_NOT_FOUND
    }

    /** Whether the shop's order is paid after this call. */
    public boolean paid() {
        return result == Result.PAID || result == Result.ALREADY_PAID;
    }
}
