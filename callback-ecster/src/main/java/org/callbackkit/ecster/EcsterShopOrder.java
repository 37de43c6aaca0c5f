package org.callbackkit.ecster;

import java.util.Objects;

/**
 * The shop's own order, as {@link EcsterShop} hands it to the module.
 *
 * @param reference the shop's order id or number, for logs and the operator; set on Ecster's order
 *     as its {@code orderReference} once the order is paid, unless Ecster has it already
 * @param amount what the shop expects to be paid, in minor units (öre, cents), as Ecster's
 *     {@code amount}: an order whose Ecster amount differs by more than the
 *     {@linkplain EcsterCallbacks.Builder#amountTolerance tolerance} is put on hold, not paid
 * @param currency the ISO 4217 currency, e.g. {@code SEK}: another currency at Ecster puts it on hold
 * @param paid whether the shop already has the order as paid (by any path): such an order is
 *     never reported paid again and never downgraded
 */
public record EcsterShopOrder(String reference, long amount, String currency, boolean paid) {

    /** @throws IllegalArgumentException if the reference or currency is blank */
    public EcsterShopOrder {
        if (Objects.requireNonNull(reference, "reference").isBlank()
                || Objects.requireNonNull(currency, "currency").isBlank()) {
            throw new IllegalArgumentException("reference and currency must not be blank");
        }
    }
}
