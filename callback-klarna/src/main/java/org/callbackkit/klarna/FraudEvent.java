package org.callbackkit.klarna;

import java.util.Optional;

/** The {@code event_type} of a Klarna fraud notification: a hint only, the decision is re-read from Order Management. */
public enum FraudEvent {
    /** Klarna accepted an order that was pending. */
    FRAUD_RISK_ACCEPTED,
    /** Klarna rejected it: do not ship. */
    FRAUD_RISK_REJECTED,
    /** Klarna stopped the order, possibly after accepting it: stop the shipment whatever the fraud status says. */
    FRAUD_RISK_STOPPED;

    static Optional<FraudEvent> of(String value) {
        for (FraudEvent event : values()) {
            if (event.name().equals(value)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
