package org.callbackkit.ecster;

import java.util.Objects;

/**
 * The shop's own order, as {@link EcsterOrderLookup} hands it to the module.
 *
 * @param reference the shop's order id or number, for logs and the operator
 * @param paid whether the shop already has the order as paid (by any path): such an order is
 *     never reported paid again and never downgraded
 */
public record EcsterShopOrder(String reference, boolean paid) {

    /** @throws IllegalArgumentException if the reference is blank */
    public EcsterShopOrder {
        if (Objects.requireNonNull(reference, "reference").isBlank()) {
            throw new IllegalArgumentException("reference must not be blank");
        }
    }
}
