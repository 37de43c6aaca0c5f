package org.callbackkit.blockonomics;

import java.util.Objects;

/**
 * What the shop expects for one order: the host's answer to "whose payment is this?".
 *
 * @param orderId the shop's order id
 * @param crypto the currency the order is to be paid in
 * @param amount the expected amount in base units (satoshi, or 10^-6 USDT)
 */
public record ExpectedPayment(String orderId, Crypto crypto, long amount) {

    /** @throws IllegalArgumentException if the amount is not positive */
    public ExpectedPayment {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(crypto, "crypto");
        if (amount <= 0) {
            throw new IllegalArgumentException("expected amount must be positive: " + amount);
        }
    }
}
