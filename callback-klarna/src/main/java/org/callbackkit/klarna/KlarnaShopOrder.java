package org.callbackkit.klarna;

import java.util.List;
import java.util.Objects;

/**
 * What the shop expects of a Klarna order, for the comparison made before anything is confirmed.
 *
 * @param reference the shop's order number, sent to Klarna as {@code merchant_reference1}
 * @param currency ISO 4217 currency
 * @param totalAmount the total the shop charges, in minor units, tax included; Klarna's may differ
 *     by one minor unit (rounding)
 * @param lines the lines to compare by reference and quantity, shipping and discount lines included
 *     (a Klarna line whose reference is not here is a difference); empty to compare the total only
 * @param confirmed whether the shop already confirmed the order (marked it paid or on hold), by
 *     any path: then it is only acknowledged, never confirmed twice
 */
public record KlarnaShopOrder(String reference, String currency, long totalAmount, List<Line> lines, boolean confirmed) {

    /** @throws IllegalArgumentException if reference or currency is blank */
    public KlarnaShopOrder {
        if (reference == null || reference.isBlank() || currency == null || currency.isBlank()) {
            throw new IllegalArgumentException("reference and currency are required");
        }
        lines = List.copyOf(lines);
    }

    /** An unconfirmed order compared by its total only. */
    public static KlarnaShopOrder of(String reference, String currency, long totalAmount) {
        return new KlarnaShopOrder(reference, currency, totalAmount, List.of(), false);
    }

    /** This order with lines to compare. */
    public KlarnaShopOrder withLines(List<Line> lines) {
        return new KlarnaShopOrder(reference, currency, totalAmount, lines, confirmed);
    }

    /** This order marked as already confirmed by the shop. */
    public KlarnaShopOrder asConfirmed() {
        return new KlarnaShopOrder(reference, currency, totalAmount, lines, true);
    }

    /**
     * A line the shop expects: Klarna's lines with this reference must add up to this quantity.
     *
     * @param reference the line's {@code reference} (SKU) as sent to Klarna
     * @param quantity how many
     */
    public record Line(String reference, long quantity) {
        /** @throws NullPointerException if reference is null */
        public Line {
            Objects.requireNonNull(reference, "reference");
        }
    }
}
