package org.callbackkit.blockonomics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.callbackkit.blockonomics.OrderPayments.IgnoredCallback;
import org.callbackkit.core.state.StateStore;

/**
 * A {@link PaymentLedger} in a {@link StateStore}: each order's payments are one JSON document
 * under scope {@value PaymentLedger#STATE_SCOPE}, key the order id, and each update runs under the
 * store's lock of that order. The document:
 *
 * <pre>{@code
 * {"format":1,"orderId":"2001","state":"PAID",
 *  "transactions":[{"crypto":"BTC","txid":"...","address":"...","value":100000,"status":2,"counted":true,"reverted":false}],
 *  "ignored":[{"crypto":"BTC","txid":"...","address":"...","status":0}]}
 * }</pre>
 *
 * Transactions keep the order they were first seen in. Thread-safe as the store is.
 */
final class StoredPaymentLedger implements PaymentLedger {

    /** The document's layout; a reader refuses any other. */
    static final int FORMAT = 1;

    private final StateStore store;
    private final ObjectMapper json = new ObjectMapper();

    StoredPaymentLedger(StateStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public OrderPayments update(String orderId, UnaryOperator<OrderPayments> update) {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(update, "update");
        // what the last call of the function made and wrote (a durable store may call it again),
        // so that the document stored need not be parsed back: this is its payments already
        OrderPayments[] made = new OrderPayments[1];
        String[] written = new String[1];
        String stored = store.update(STATE_SCOPE, orderId, before -> {
            OrderPayments payments = before.map(document -> read(orderId, document))
                    .orElseGet(() -> OrderPayments.open(orderId));
            made[0] = Objects.requireNonNull(update.apply(payments), "update returned null").requireOrder(orderId);
            written[0] = write(made[0]);
            return written[0];
        });
        return stored.equals(written[0]) ? made[0] : read(orderId, stored);
    }

    @Override
    public Optional<OrderPayments> find(String orderId) {
        Objects.requireNonNull(orderId, "orderId");
        return store.find(STATE_SCOPE, orderId).map(document -> read(orderId, document));
    }

    /** {@code payments} as the stored JSON document, written field by field (no tree to build first). */
    String write(OrderPayments payments) {
        StringWriter document = new StringWriter(160 + 160 * payments.transactions().size());
        try (JsonGenerator out = json.getFactory().createGenerator(document)) {
            out.writeStartObject();
            out.writeNumberField("format", FORMAT);
            out.writeStringField("orderId", payments.orderId());
            out.writeStringField("state", payments.state().name());
            out.writeArrayFieldStart("transactions");
            for (RecordedTransaction transaction : payments.transactions().values()) {
                out.writeStartObject();
                key(out, transaction.key());
                out.writeNumberField("value", transaction.value());
                out.writeNumberField("status", transaction.status());
                out.writeBooleanField("counted", transaction.counted());
                out.writeBooleanField("reverted", transaction.reverted());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("ignored");
            for (IgnoredCallback callback : payments.ignored()) {
                out.writeStartObject();
                key(out, callback.key());
                out.writeNumberField("status", callback.status());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the payments of order " + payments.orderId(), e);
        }
        return document.toString();
    }

    /**
     * The payments in a stored document of order {@code orderId}.
     *
     * @throws IllegalStateException if the document is not one this ledger wrote for that order
     */
    OrderPayments read(String orderId, String document) {
        try {
            JsonNode root = json.readTree(document);
            int format = smallNumber(root, "format");
            if (format != FORMAT) {
                throw new IllegalArgumentException("format " + format + ", not " + FORMAT);
            }
            Map<TransactionKey, RecordedTransaction> transactions = new LinkedHashMap<>();
            for (JsonNode node : array(root, "transactions")) {
                RecordedTransaction transaction = new RecordedTransaction(key(node), number(node, "value"),
                        smallNumber(node, "status"), flag(node, "counted"), flag(node, "reverted"));
                transactions.put(transaction.key(), transaction);
            }
            Set<IgnoredCallback> ignored = new HashSet<>();
            for (JsonNode node : array(root, "ignored")) {
                ignored.add(new IgnoredCallback(key(node), smallNumber(node, "status")));
            }
            return new OrderPayments(text(root, "orderId"), PaymentState.valueOf(text(root, "state")), transactions,
                    ignored).requireOrder(orderId);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("the stored payments of order " + orderId + " (scope " + STATE_SCOPE
                    + ") cannot be read: " + e.getMessage(), e);
        }
    }

    private static void key(JsonGenerator out, TransactionKey key) throws IOException {
        out.writeStringField("crypto", key.crypto().name());
        out.writeStringField("txid", key.txid());
        out.writeStringField("address", key.address());
    }

    private static TransactionKey key(JsonNode node) {
        return new TransactionKey(Crypto.valueOf(text(node, "crypto")), text(node, "txid"), text(node, "address"));
    }

    private static String text(JsonNode node, String field) {
        return field(node, field, JsonNode::isTextual).textValue();
    }

    private static long number(JsonNode node, String field) {
        return field(node, field, value -> value.isIntegralNumber() && value.canConvertToLong()).longValue();
    }

    private static int smallNumber(JsonNode node, String field) {
        return field(node, field, JsonNode::isInt).intValue();
    }

    private static boolean flag(JsonNode node, String field) {
        return field(node, field, JsonNode::isBoolean).booleanValue();
    }

    private static JsonNode array(JsonNode node, String field) {
        return field(node, field, JsonNode::isArray);
    }

    private static JsonNode field(JsonNode node, String field, Predicate<JsonNode> fits) {
        JsonNode value = node.get(field);
        if (value == null || !fits.test(value)) {
            throw new IllegalArgumentException("field " + field + " missing or of the wrong type");
        }
        return value;
    }
}
