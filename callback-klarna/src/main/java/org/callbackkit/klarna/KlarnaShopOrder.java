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
 * @param lines the product lines to compare by reference and quantity (a Klarna product line whose
 *     reference is not here is a difference; Klarna's discount, shipping fee, sales tax, gift card,
 *     store credit and surcharge lines count in the total only); empty to compare the total only
 * @param confirmed whether the shop already confirmed the order (marked it paid or on hold), by
 *     any path: then it is only acknowledged, never confirmed twice
 * @param internalId the shop's internal id of the order, sent as {@code merchant_reference2}, or ""
 *     to leave that reference alone
 */
public record KlarnaShopOrder(String reference, String currency, long totalAmount, List<Line> lines, boolean confirmed,
        String internalId) {

    /** @throws IllegalArgumentException if reference or currency is blank, or internalId is null */
    public KlarnaShopOrder {
        if (reference == null || reference.isBlank() || currency == null || currency.isBlank()) {
            throw new IllegalArgumentException("reference and currency are required");
        }
        lines = List.copyOf(lines);
        if (internalId == null) {
            throw new IllegalArgumentException("internalId must not be null; \"\" for none");
        }
    }

    /** An order without an internal id: {@code merchant_reference2} is left alone. */
    public KlarnaShopOrder(String reference, String currency, long totalAmount, List<Line> lines, boolean confirmed) {
        this(reference, currency, totalAmount, lines, confirmed, "");
    }

    /** An unconfirmed order compared by its total only. */
    public static KlarnaShopOrder of(String reference, String currency, long totalAmount) {
        return new KlarnaShopOrder(reference, currency, totalAmount, List.of(), false);
    }

    /** This order with lines to compare. */
    public KlarnaShopOrder withLines(List<Line> lines) {
        return new KlarnaShopOrder(reference, currency, totalAmount, lines, confirmed, internalId);
    }

    /** This order marked as already confirmed by the shop. */
    public KlarnaShopOrder asConfirmed() {
        return new KlarnaShopOrder(reference, currency, totalAmount, lines, true, internalId);
    }

    /** This order with the shop's internal id, sent to Klarna as {@code merchant_reference2} beside the order number. */
    public KlarnaShopOrder withInternalId(String internalId) {
        return new KlarnaShopOrder(reference, currency, totalAmount, lines, confirmed, internalId);
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
