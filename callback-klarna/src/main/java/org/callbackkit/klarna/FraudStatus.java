package org.callbackkit.klarna;

/** Klarna's fraud decision on an order, as Order Management reports it. */
public enum FraudStatus {
    /** Safe to ship. */
    ACCEPTED,
    /** Klarna is still deciding; hold the order until a notification says otherwise. */
    PENDING,
    /** Do not ship; Klarna will not pay. */
    REJECTED,
    /** The order carried no fraud status (a Checkout API order, before Order Management has it). */
    NOT_GIVEN,
    /** A value this version does not know; kept in {@link KlarnaOrder#fraudStatusValue()}. */
    UNKNOWN;

    static FraudStatus of(String value) {
        if (value == null || value.isEmpty()) {
            return NOT_GIVEN;
        }
        return switch (value) {
            case "ACCEPTED" -> ACCEPTED;
            case "PENDING" -> PENDING;
            case "REJECTED" -> REJECTED;
            default -> UNKNOWN;
        };
    }
}
