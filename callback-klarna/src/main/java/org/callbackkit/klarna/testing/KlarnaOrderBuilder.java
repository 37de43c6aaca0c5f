package org.callbackkit.klarna.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaOrderLine;

/**
 * Builds a Klarna order's JSON the way Order Management sends it, for tests and fakes. Defaults:
 * status {@code AUTHORIZED}, fraud status {@code ACCEPTED}, currency {@code SEK}, the amount the
 * sum of the lines. Not thread-safe.
 *
 * <pre>{@code
 * KlarnaOrder order = KlarnaOrderBuilder.order("order-1").line("sku-1", 2, 5000).build();
 * }</pre>
 */
public final class KlarnaOrderBuilder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode node = MAPPER.createObjectNode();
    private final List<KlarnaOrderLine> lines = new ArrayList<>();
    private Long amount;

    private KlarnaOrderBuilder(String orderId) {
        node.put("order_id", Objects.requireNonNull(orderId, "orderId"));
        node.put("status", "AUTHORIZED");
        node.put("fraud_status", "ACCEPTED");
        node.put("purchase_currency", "SEK");
    }

    /** Starts an order with Klarna's id {@code orderId}. */
    public static KlarnaOrderBuilder order(String orderId) {
        return new KlarnaOrderBuilder(orderId);
    }

    /** Order status; default {@code AUTHORIZED}. */
    public KlarnaOrderBuilder status(String status) {
        node.put("status", status);
        return this;
    }

    /** Fraud status as sent; default {@code ACCEPTED}; null leaves it out. */
    public KlarnaOrderBuilder fraudStatus(String fraudStatus) {
        if (fraudStatus == null) {
            node.remove("fraud_status");
        } else {
            node.put("fraud_status", fraudStatus);
        }
        return this;
    }

    /** Currency; default {@code SEK}. */
    public KlarnaOrderBuilder currency(String currency) {
        node.put("purchase_currency", currency);
        return this;
    }

    /** Adds a physical line without tax: {@code quantity} of {@code reference} at {@code unitPrice} minor units. */
    public KlarnaOrderBuilder line(String reference, long quantity, long unitPrice) {
        return line(new KlarnaOrderLine("physical", reference, reference, quantity, unitPrice, 0, quantity * unitPrice, 0));
    }

    /** Adds a line. */
    public KlarnaOrderBuilder line(KlarnaOrderLine line) {
        lines.add(Objects.requireNonNull(line, "line"));
        return this;
    }

    /** The order total; default the sum of the lines' totals. */
    public KlarnaOrderBuilder amount(long amount) {
        this.amount = amount;
        return this;
    }

    /** Merchant reference 1. */
    public KlarnaOrderBuilder merchantReference1(String reference) {
        node.put("merchant_reference1", reference);
        return this;
    }

    /** The order, parsed from the JSON built. */
    public KlarnaOrder build() {
        ArrayNode array = node.putArray("order_lines");
        long sum = 0;
        long tax = 0;
        for (KlarnaOrderLine line : lines) {
            ObjectNode l = array.addObject();
            l.put("type", line.type());
            l.put("reference", line.reference());
            l.put("name", line.name());
            l.put("quantity", line.quantity());
            l.put("unit_price", line.unitPrice());
            l.put("tax_rate", line.taxRate());
            l.put("total_amount", line.totalAmount());
            l.put("total_tax_amount", line.totalTaxAmount());
            sum += line.totalAmount();
            tax += line.totalTaxAmount();
        }
        node.put("order_amount", amount == null ? sum : amount);
        node.put("order_tax_amount", tax);
        return KlarnaOrder.parse(node.toString());
    }
}
