package org.callbackkit.ecster;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackJson;

/**
 * An Ecster order as {@code GET /v1/orders/{id}} reports it: the status that decides what the
 * shop does, the amounts, the buyer and the rows bought. Fields this type does not map are in
 * {@link #json()}. Immutable.
 *
 * @param id Ecster's internal order id (the notification's {@code orderId})
 * @param status Ecster's status, as sent, e.g. {@code READY}; see {@link #state()}
 * @param amount the order total in minor units
 * @param currency the ISO 4217 currency, e.g. {@code SEK}
 * @param orderReference the merchant's order reference, when Ecster has one
 * @param paymentMethod {@code properties.method}, e.g. {@code INVOICE}, {@code CARD}, {@code SWISH}; empty when absent
 * @param buyer the consumer
 * @param lines the rows of the {@code ORIGINAL} transaction, in order
 * @param json the whole answer, for fields not mapped here
 */
public record EcsterOrder(String id, String status, long amount, String currency, Optional<String> orderReference,
        String paymentMethod, EcsterBuyer buyer, List<EcsterOrderLine> lines, String json) {


    /** @throws NullPointerException if a component is null */
    public EcsterOrder {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(orderReference, "orderReference");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(buyer, "buyer");
        lines = List.copyOf(lines);
        Objects.requireNonNull(json, "json");
    }

    /**
     * Reads Ecster's order JSON. Required: {@code id}, {@code status} (text), {@code amount}
     * (whole minor units) and {@code currency}; the rest is read when present.
     *
     * @throws IllegalArgumentException if the text is not such an order
     */
    public static EcsterOrder parse(String json) {
        JsonNode root = CallbackJson.parseObject(json, "Ecster order");
        String id = required(root, "id");
        String status = required(root, "status");
        String currency = required(root, "currency");
        JsonNode amount = root.path("amount");
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw new IllegalArgumentException("amount must be a whole number of minor units");
        }
        String reference = CallbackJson.text(root, "orderReference");
        JsonNode consumer = root.path("consumer");
        JsonNode address = consumer.path("address");
        JsonNode contact = consumer.path("contactInfo");
        EcsterBuyer buyer = new EcsterBuyer(CallbackJson.text(consumer.path("name"), "firstName"),
                CallbackJson.text(consumer.path("name"), "lastName"), CallbackJson.text(contact, "email"),
                CallbackJson.text(contact.path("cellular"), "number"), CallbackJson.text(address, "line1"),
                CallbackJson.text(address, "zip"), CallbackJson.text(address, "city"), CallbackJson.text(address, "country"));
        return new EcsterOrder(id, status, amount.longValue(), currency,
                reference.isEmpty() ? Optional.empty() : Optional.of(reference),
                CallbackJson.text(root.path("properties"), "method"), buyer, lines(root), json);
    }

    private static List<EcsterOrderLine> lines(JsonNode root) {
        List<EcsterOrderLine> lines = new ArrayList<>();
        for (JsonNode transaction : root.path("transactions")) {
            if (!"ORIGINAL".equals(CallbackJson.text(transaction, "type"))) {
                continue;
            }
            for (JsonNode row : transaction.path("rows")) {
                JsonNode quantity = row.path("quantity");
                lines.add(new EcsterOrderLine(CallbackJson.text(row, "partNumber"), CallbackJson.text(row, "name"),
                        quantity.isNumber() ? quantity.decimalValue() : BigDecimal.ONE, row.path("unitAmount").asLong(),
                        row.path("vatRate").asLong(), row.path("discountAmount").asLong(), row.path("fee").asBoolean()));
            }
        }
        return lines;
    }

    private static String required(JsonNode root, String field) {
        String value = CallbackJson.text(root, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing or not text");
        }
        return value;
    }

    /** What {@link #status()} means for the shop. */
    public EcsterOrderState state() {
        return EcsterOrderState.of(status);
    }

    /** Id, status and total only: the rest holds personal data. */
    @Override
    public String toString() {
        return "EcsterOrder[" + id + " " + UntrustedText.printable(status) + " " + amount + " " + currency + "]";
    }
}
