package org.callbackkit.blockonomics;

import java.util.Objects;

/**
 * What one callback meant for an order, as the host's {@link BlockonomicsShop#onPayment} is told.
 *
 * @param kind what happened
 * @param orderId the shop's order id
 * @param callback the callback that caused it
 * @param expectedAmount the amount the order expects, in base units
 * @param paidAmount the sum of the counted payments after this callback, in base units
 * @param difference for {@link Kind#UNDERPAID} the shortfall, for {@link Kind#OVERPAID} the
 *     excess, for {@link Kind#PAID} within the slack the (tolerated) shortfall, for
 *     {@link Kind#REVERSED_AFTER_PAID} what no longer counts towards the expected amount; else 0
 * @param description one sentence for the order notes
 */
public record PaymentEvent(Kind kind, String orderId, BlockonomicsCallback callback, long expectedAmount,
        long paidAmount, long difference, String description) {

    /** What a callback meant. */
    public enum Kind {
        /** A payment was seen but has fewer confirmations than required: awaiting confirmations. */
        DETECTED,
        /** The counted payments cover the expected amount (within the underpayment slack). */
        PAID,
        /** The counted payments exceed the expected amount; the order is paid, with an excess. */
        OVERPAID,
        /** The counted payments fall short beyond the slack; later payments may still complete it. */
        UNDERPAID,
        /** A USDT payment was reverted ({@code status=-1}) before the order was paid; it never counts. */
        REVERTED,
        /**
         * A USDT payment that counted towards a paid order was reverted: an alert that needs a person
         * (goods may have shipped). The order stays settled, as {@link PaymentState#REVERSED_AFTER_PAID},
         * and the reverted payment stays on record; {@code paidAmount} is what still counts.
         */
        REVERSED_AFTER_PAID,
        /** Not counted: a zero-confirmation RBF payment, an unknown status, or another currency. */
        IGNORED
    }

    /** @throws NullPointerException if a component is null */
    public PaymentEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(description, "description");
    }
}
