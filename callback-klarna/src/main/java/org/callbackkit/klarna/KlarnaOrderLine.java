package org.callbackkit.klarna;

import java.util.Objects;

/**
 * One line of a Klarna order. Amounts are in minor units (cents, öre), tax rate in hundredths of
 * a percent (2500 = 25 %), as Klarna sends them.
 *
 * @param type {@code physical}, {@code shipping_fee}, {@code discount}...; empty when not given
 * @param reference the shop's SKU or line reference; empty when not given
 * @param name what the shopper sees
 * @param quantity how many
 * @param unitPrice price of one, tax included
 * @param taxRate tax rate in hundredths of a percent
 * @param totalAmount the line total, tax and discounts included
 * @param totalTaxAmount the tax in the line total
 */
public record KlarnaOrderLine(String type, String reference, String name, long quantity, long unitPrice, long taxRate,
        long totalAmount, long totalTaxAmount) {

    /** @throws NullPointerException if a text is null (use an empty string) */
    public KlarnaOrderLine {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(name, "name");
    }
}
