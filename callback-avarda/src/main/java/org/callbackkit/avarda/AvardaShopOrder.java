package org.callbackkit.avarda;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The shop's own order for an Avarda purchase, as {@link AvardaShop} hands it to the module.
 *
 * @param reference the shop's order id or number, for logs and the operator
 * @param total what the shop expects to be paid, in major units (e.g. {@code 123.45})
 * @param currency the ISO 4217 currency, e.g. {@code SEK}
 * @param paid whether the shop already has the order as paid (by any path): then nothing is done
 */
public record AvardaShopOrder(String reference, BigDecimal total, String currency, boolean paid) {

    /**
     * @throws IllegalArgumentException if the reference or currency is blank
     * @throws NullPointerException if the total is null
     */
    public AvardaShopOrder {
        if (reference == null || reference.isBlank() || currency == null || currency.isBlank()) {
            throw new IllegalArgumentException("reference and currency must not be blank");
        }
        Objects.requireNonNull(total, "total");
    }
}
