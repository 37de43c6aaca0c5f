package org.callbackkit.blockonomics;

/** What the status of an {@link OrderHookCallback} means for a Blockonomics-managed order. */
public enum OrderHookState {
    /** {@code -1}: the amount paid does not match the order's; a person decides. */
    PAYMENT_ERROR,
    /** {@code 0}: not paid. */
    UNPAID,
    /** {@code 1}: a payment is seen and waits for confirmations; never ship on it. */
    IN_PROCESS,
    /** {@code 2}: paid and confirmed. */
    PAID,
    /** Any other status: kept as data, never taken as paid. */
    UNKNOWN
}
