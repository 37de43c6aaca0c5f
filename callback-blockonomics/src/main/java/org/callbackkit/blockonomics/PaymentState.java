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
    OVERPAID;

    /** Whether the order is paid; a paid order ignores later callbacks. */
    public boolean settled() {
        return this == PAID || this == OVERPAID;
    }
}
