package org.callbackkit.avarda.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Objects;
import org.callbackkit.avarda.AvardaPayment;

/**
 * Builds Avarda Checkout 3 payments for tests, as {@code GET /api/partner/payments/{purchaseId}}
 * answers them. Defaults: mode {@code B2C}, step {@code Completed}, {@code SEK}, a test buyer.
 * Not thread-safe.
 *
 * <pre>{@code
 * AvardaPayment payment = AvardaPaymentBuilder.payment("489ea341e23941089e6d0378c708512a").totalPrice("123.45").build();
 * }</pre>
 */
public final class AvardaPaymentBuilder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String purchaseId;
    private String mode = "B2C";
    private String step = "Completed";
    private BigDecimal totalPrice = new BigDecimal("100.00");
    private String currency = "SEK";

    private AvardaPaymentBuilder(String purchaseId) {
        this.purchaseId = Objects.requireNonNull(purchaseId, "purchaseId");
    }

    /** A payment with Avarda's purchase id {@code purchaseId}. */
    public static AvardaPaymentBuilder payment(String purchaseId) {
        return new AvardaPaymentBuilder(purchaseId);
    }

    /** {@code B2C} (default) or {@code B2B}: which object carries the step. */
    public AvardaPaymentBuilder mode(String mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** The current step, e.g. {@code Completed}, {@code WaitingForSwish}, {@code TimedOut}; default {@code Completed}. */
    public AvardaPaymentBuilder step(String step) {
        this.step = Objects.requireNonNull(step, "step");
        return this;
    }

    /** The total in major units, e.g. {@code "123.45"}; default 100.00. */
    public AvardaPaymentBuilder totalPrice(String totalPrice) {
        this.totalPrice = new BigDecimal(totalPrice);
        return this;
    }

    /** {@code checkoutSite.currencyCode}; default {@code SEK}. */
    public AvardaPaymentBuilder currency(String currency) {
        this.currency = Objects.requireNonNull(currency, "currency");
        return this;
    }

    /** The payment as Avarda's JSON. */
    public String json() {
        ObjectNode root = MAPPER.createObjectNode().put("purchaseId", purchaseId).put("mode", mode)
                .put("totalPrice", totalPrice);
        root.putObject("checkoutSite").put("currencyCode", currency);
        ObjectNode modeObject = root.putObject(mode.equals("B2B") ? "b2B" : "b2C");
        modeObject.putObject("step").put("current", step);
        modeObject.putObject("userInputs").put("email", "test@example.com").put("phone", "+46701234567");
        modeObject.putObject("invoicingAddress").put("firstName", "Test").put("lastName", "Testsson")
                .put("address1", "Testgatan 1").put("zip", "11122").put("city", "Stockholm").put("country", "SE");
        return root.toString();
    }

    /** The payment, parsed as the module parses Avarda's answer. */
    public AvardaPayment build() {
        return AvardaPayment.parse(json());
    }
}
