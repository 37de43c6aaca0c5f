package org.callbackkit.klarna;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * A Klarna order as Order Management or the Checkout API returned it, or as a checkout callback
 * carried it: the fields money decisions need, parsed strictly, plus the whole JSON for anything
 * else (addresses, merchant data). Immutable.
 */
public final class KlarnaOrder {

    private static final ObjectMapper MAPPER = CallbackJson.strictMapper();
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final String orderId;
    private final String status;
    private final String fraudStatusValue;
    private final String purchaseCurrency;
    private final long orderAmount;
    private final long orderTaxAmount;
    private final List<KlarnaOrderLine> orderLines;
    private final String merchantReference1;
    private final String merchantReference2;
    private final String json;

    /**
     * @param orderIdFromUrl null for a whole order, which must carry {@code order_id} and
     *     {@code purchase_currency}; else the id of a checkout update callback, whose body may
     *     carry neither (only amounts, lines, addresses)
     */
    private KlarnaOrder(JsonNode node, String json, String orderIdFromUrl) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("an order is a JSON object");
        }
        if (orderIdFromUrl == null) {
            this.orderId = requiredText(node, "order_id");
        } else {
            String given = optionalText(node, "order_id");
            if (!given.isEmpty() && !given.equals(orderIdFromUrl)) {
                throw new IllegalArgumentException("order_id differs from the order id in the URL");
            }
            this.orderId = orderIdFromUrl;
        }
        this.status = optionalText(node, "status");
        this.fraudStatusValue = optionalText(node, "fraud_status");
        String currency = orderIdFromUrl == null ? requiredText(node, "purchase_currency") : optionalText(node, "purchase_currency");
        this.purchaseCurrency = currency.toUpperCase(java.util.Locale.ROOT);
        if (!(currency.isEmpty() && orderIdFromUrl != null) && !CURRENCY.matcher(purchaseCurrency).matches()) {
            throw new IllegalArgumentException("purchase_currency is not an ISO 4217 code");
        }
        this.orderAmount = requiredLong(node, "order_amount");
        this.orderTaxAmount = present(node, "order_tax_amount") ? requiredLong(node, "order_tax_amount") : 0;
        JsonNode lines = node.get("order_lines");
        if (lines == null || !lines.isArray()) {
            throw new IllegalArgumentException("order_lines is missing or not an array");
        }
        List<KlarnaOrderLine> parsed = new ArrayList<>();
        for (JsonNode line : lines) {
            if (!line.isObject()) {
                throw new IllegalArgumentException("an order line is not an object");
            }
            parsed.add(new KlarnaOrderLine(optionalText(line, "type"), optionalText(line, "reference"),
                    optionalText(line, "name"), requiredLong(line, "quantity"),
                    present(line, "unit_price") ? requiredLong(line, "unit_price") : 0,
                    present(line, "tax_rate") ? requiredLong(line, "tax_rate") : 0, requiredLong(line, "total_amount"),
                    present(line, "total_tax_amount") ? requiredLong(line, "total_tax_amount") : 0));
        }
        this.orderLines = List.copyOf(parsed);
        this.merchantReference1 = optionalText(node, "merchant_reference1");
        this.merchantReference2 = optionalText(node, "merchant_reference2");
        this.json = json;
    }

    /**
     * Parses an order from Klarna's JSON.
     *
     * @throws IllegalArgumentException if it is not JSON, or {@code order_id},
     *     {@code purchase_currency}, {@code order_amount} or {@code order_lines} (each with
     *     {@code quantity} and {@code total_amount}) is missing or of the wrong type
     */
    public static KlarnaOrder parse(String json) {
        Objects.requireNonNull(json, "json");
        return new KlarnaOrder(CallbackJson.parseObject(json, "Klarna order"), json, null);
    }

    /**
     * Parses a callback's body with {@link CallbackJson}'s strict UTF-8 and limits. With
     * {@code orderIdFromUrl} null it is a whole order, as {@link #parse(String)}; else the body of
     * a shipping option update, address update or country change, which carries amounts, lines
     * and addresses but may lack {@code order_id} and {@code purchase_currency}: the order id
     * comes from the callback URL, and a body naming another order is refused.
     *
     * @throws InvalidCallbackException if the body is not acceptable JSON
     * @throws IllegalArgumentException if it is JSON but not an order
     */
    static KlarnaOrder parse(CallbackRequest request, String orderIdFromUrl) {
        return new KlarnaOrder(CallbackJson.readObject(request), request.bodyAsString(), orderIdFromUrl);
    }

    /** Klarna's order id. */
    public String orderId() {
        return orderId;
    }

    /** Klarna's order status ({@code AUTHORIZED}, {@code checkout_complete}...); empty when not given. */
    public String status() {
        return status;
    }

    /** The fraud decision; {@link FraudStatus#NOT_GIVEN} on a checkout callback's order. */
    public FraudStatus fraudStatus() {
        return FraudStatus.of(fraudStatusValue);
    }

    /** The fraud status exactly as sent; empty when not given. */
    public String fraudStatusValue() {
        return fraudStatusValue;
    }

    /** ISO 4217 currency, upper case; empty on a checkout update callback that did not carry it. */
    public String purchaseCurrency() {
        return purchaseCurrency;
    }

    /** The order total in minor units, tax included. */
    public long orderAmount() {
        return orderAmount;
    }

    /** The tax in the total, in minor units. */
    public long orderTaxAmount() {
        return orderTaxAmount;
    }

    /** The lines, in Klarna's order. */
    public List<KlarnaOrderLine> orderLines() {
        return orderLines;
    }

    /** The shop's order number as Klarna knows it. */
    public Optional<String> merchantReference1() {
        return merchantReference1.isEmpty() ? Optional.empty() : Optional.of(merchantReference1);
    }

    /** The shop's second reference. */
    public Optional<String> merchantReference2() {
        return merchantReference2.isEmpty() ? Optional.empty() : Optional.of(merchantReference2);
    }

    /** The order's JSON as received. */
    public String json() {
        return json;
    }

    /** A fresh, modifiable copy of the JSON tree: start of an updated order for a checkout update answer. */
    public ObjectNode jsonTree() {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("parsed once, cannot fail", e);
        }
    }

    /** Id, status, fraud status, amount and currency; no personal data. */
    @Override
    public String toString() {
        return "KlarnaOrder[" + orderId + " " + status + " fraud=" + fraudStatusValue + " " + orderAmount + " "
                + purchaseCurrency + ", " + orderLines.size() + " lines]";
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return value.asText();
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(field + " is missing or not an integer");
        }
        return value.longValue();
    }
}
