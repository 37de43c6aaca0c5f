package org.callbackkit.blockonomics;

/** Where an order's crypto payment stands. */
public enum PaymentState {
    /** No payment seen. */
    OPEN,
    /** Payments seen, none yet at the confirmations threshold. */
    AWAITING_CONFIRMATIONS,
    /** Confirmed payments add up to less than expected, beyond the slack. */
    UNDERPAID,
    /** Confirmed payments add up to the expected amount (within the slack). Final. */
    PAID,
    /** Confirmed payments add up to more than expected. Final. */
    OVERPAID,
    /**
     * The order was paid, then a payment that counted was reverted (USDT {@code status=-1}). Never
     * turned back into an open order by itself: goods may have shipped, so a person decides. Final.
     */
    REVERSED_AFTER_PAID;

    /**
     * Whether the order was paid: then it ignores later callbacks, except a reversal of a payment
     * that counted, which makes it {@link #REVERSED_AFTER_PAID}.
     */
    public boolean settled() {
        return this == PAID || this == OVERPAID || this == REVERSED_AFTER_PAID;
    }
}
