package org.callbackkit.ecster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.callbackkit.ecster.EcsterBuyer;
import org.callbackkit.ecster.EcsterOrder;

/**
 * Builds Ecster orders for tests, as {@code GET /v1/orders/{id}} answers them: give the id, a
 * status and some rows; the total is the sum of the rows unless set. Defaults: {@code READY},
 * {@code SEK}, a test buyer in Stockholm, paid by {@code INVOICE}. Not thread-safe.
 *
 * <pre>{@code
 * EcsterOrder order = EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status("READY").line("sku-1", "Mug", 2, 9900).build();
 * }</pre>
 */
public final class EcsterOrderBuilder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String id;
    private String status = "READY";
    private String currency = "SEK";
    private String orderReference;
    private String paymentMethod = "INVOICE";
    private EcsterBuyer buyer = new EcsterBuyer("Test", "Testsson", "test@example.com", "0701234567", "Testgatan 1",
            "11122", "Stockholm", "SE");
    private Long amount;
    private long linesTotal;
    private final ArrayNode rows = MAPPER.createArrayNode();

    private EcsterOrderBuilder(String id) {
        this.id = Objects.requireNonNull(id, "id");
    }

    /** An order with Ecster's internal id {@code id}. */
    public static EcsterOrderBuilder order(String id) {
        return new EcsterOrderBuilder(id);
    }

    /** Ecster's status, e.g. {@code READY}, {@code PENDING_SIGNATURE}, {@code DENIED}; default {@code READY}. */
    public EcsterOrderBuilder status(String status) {
        this.status = Objects.requireNonNull(status, "status");
        return this;
    }

    /** The currency; default {@code SEK}. */
    public EcsterOrderBuilder currency(String currency) {
        this.currency = Objects.requireNonNull(currency, "currency");
        return this;
    }

    /** The merchant's order reference; default none. */
    public EcsterOrderBuilder orderReference(String orderReference) {
        this.orderReference = Objects.requireNonNull(orderReference, "orderReference");
        return this;
    }

    /** {@code properties.method}, e.g. {@code CARD}, {@code SWISH}; default {@code INVOICE}. */
    public EcsterOrderBuilder paymentMethod(String paymentMethod) {
        this.paymentMethod = Objects.requireNonNull(paymentMethod, "paymentMethod");
        return this;
    }

    /** The consumer; default a test buyer. */
    public EcsterOrderBuilder buyer(EcsterBuyer buyer) {
        this.buyer = Objects.requireNonNull(buyer, "buyer");
        return this;
    }

    /** Adds a row of the {@code ORIGINAL} transaction, VAT 25 %; {@code unitAmount} in minor units. */
    public EcsterOrderBuilder line(String partNumber, String name, long quantity, long unitAmount) {
        rows.addObject().put("partNumber", partNumber).put("name", name).put("quantity", quantity)
                .put("unitAmount", unitAmount).put("vatRate", 2500).put("discountAmount", 0).put("fee", false);
        linesTotal += quantity * unitAmount;
        return this;
    }

    /** The order total in minor units; default the sum of the rows. */
    public EcsterOrderBuilder amount(long amount) {
        this.amount = amount;
        return this;
    }

    /** The order as Ecster's JSON. */
    public String json() {
        long total = amount == null ? linesTotal : amount;
        ObjectNode root = MAPPER.createObjectNode().put("id", id).put("merchantId", "100000001").put("status", status);
        root.putObject("properties").put("method", paymentMethod);
        root.put("created", "2026-01-01T00:00:00+01:00").put("amount", total).put("currency", currency)
                .put("debitedAmount", 0).put("creditedAmount", 0);
        if (orderReference != null) {
            root.put("orderReference", orderReference);
        }
        ObjectNode consumer = root.putObject("consumer");
        consumer.putObject("name").put("firstName", buyer.firstName()).put("lastName", buyer.lastName());
        consumer.putObject("address").put("line1", buyer.addressLine1()).put("zip", buyer.zip())
                .put("city", buyer.city()).put("country", buyer.country());
        ObjectNode contact = consumer.putObject("contactInfo").put("email", buyer.email());
        contact.putObject("cellular").put("number", buyer.cellular());
        ObjectNode original = root.putArray("transactions").addObject().put("id", id + "-t1").put("type", "ORIGINAL")
                .put("amount", total);
        original.set("rows", rows.deepCopy());
        return root.toString();
    }

    /** The order, parsed as the module parses Ecster's answer. */
    public EcsterOrder build() {
        return EcsterOrder.parse(json());
    }
}
