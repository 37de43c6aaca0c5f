package org.callbackkit.ecster;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of the order as bought (Ecster's {@code ORIGINAL} transaction). Amounts are in minor
 * units (öre, cents) as Ecster sends them.
 *
 * @param partNumber the shop's article number given at cart creation; empty for fees and shipping rows without one
 * @param name the row's name
 * @param quantity how many
 * @param unitAmount the price of one, VAT included, in minor units
 * @param vatRate the VAT rate in hundredths of a percent, as Ecster sends it (2500 = 25 %)
 * @param discountAmount the row's discount in minor units, 0 when none
 * @param fee whether Ecster marks the row as a fee (e.g. an invoice fee)
 */
public record EcsterOrderLine(String partNumber, String name, BigDecimal quantity, long unitAmount, long vatRate,
        long discountAmount, boolean fee) {

    /** @throws NullPointerException if a text or the quantity is null */
    public EcsterOrderLine {
        Objects.requireNonNull(partNumber, "partNumber");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(quantity, "quantity");
    }
}
