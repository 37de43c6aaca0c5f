package org.callbackkit.avarda;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Objects;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackJson;

/**
 * An Avarda purchase as {@code GET /api/partner/payments/{purchaseId}} reports it: its mode, the
 * current step that says whether it completed, and its total. Fields not mapped here are in
 * {@link #json()}. Immutable.
 *
 * @param purchaseId Avarda's purchase id
 * @param mode {@code B2C} or {@code B2B}, as sent; empty when absent
 * @param step the current step of that mode, e.g. {@code Completed}; {@code Unknown} when absent
 * @param totalPrice {@code totalPrice}, in major units (e.g. {@code 123.45} SEK)
 * @param currency {@code checkoutSite.currencyCode}, e.g. {@code SEK}; empty when absent
 * @param json the whole answer
 */
public record AvardaPayment(String purchaseId, String mode, String step, BigDecimal totalPrice, String currency,
        String json) {


    private static final int MAX_INTEGER_DIGITS = 15;
    private static final int MAX_DECIMALS = 6;

    /** @throws NullPointerException if a component is null */
    public AvardaPayment {
        Objects.requireNonNull(purchaseId, "purchaseId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(totalPrice, "totalPrice");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(json, "json");
    }

    /**
     * Reads Avarda's payment JSON. Required: {@code purchaseId} and a numeric {@code totalPrice}
     * that is an amount (at most 15 integer digits and 6 decimals).
     * The step is read from {@code b2B} when the mode is {@code B2B}, else from {@code b2C}.
     *
     * @throws IllegalArgumentException if the text is not such a payment
     */
    public static AvardaPayment parse(String json) {
        JsonNode root = CallbackJson.parseObject(json, "Avarda payment");
        String purchaseId = CallbackJson.text(root, "purchaseId");
        if (purchaseId.isBlank()) {
            throw new IllegalArgumentException("purchaseId is missing or not text");
        }
        JsonNode total = root.path("totalPrice");
        if (!total.isNumber()) {
            throw new IllegalArgumentException("totalPrice is missing or not a number");
        }
        BigDecimal totalPrice = total.decimalValue();
        if (totalPrice.scale() > MAX_DECIMALS || totalPrice.precision() - totalPrice.scale() > MAX_INTEGER_DIGITS) {
            // 1e99999999 is a number, but arithmetic on it (the shop's totals check) takes seconds
            throw new IllegalArgumentException("totalPrice is not an amount: more than " + MAX_INTEGER_DIGITS
                    + " integer digits or " + MAX_DECIMALS + " decimals");
        }
        String mode = CallbackJson.text(root, "mode");
        String step = CallbackJson.text(root.path(mode.equals("B2B") ? "b2B" : "b2C").path("step"), "current");
        return new AvardaPayment(purchaseId, mode, step.isEmpty() ? "Unknown" : step, totalPrice,
                CallbackJson.text(root.path("checkoutSite"), "currencyCode"), json);
    }

    /** What {@link #step()} means for the shop. */
    public AvardaPaymentState state() {
        return AvardaPaymentState.of(step);
    }

    /** Id, step and total only: the rest holds personal data. */
    @Override
    public String toString() {
        return "AvardaPayment[" + purchaseId + " " + UntrustedText.printable(step) + " " + totalPrice.toPlainString() + " "
                + currency + "]";
    }
}
