package org.callbackkit.blockonomics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        String stored = store.update(STATE_SCOPE, orderId, before -> {
            OrderPayments payments = before.map(document -> read(orderId, document))
                    .orElseGet(() -> OrderPayments.open(orderId));
            return write(Objects.requireNonNull(update.apply(payments), "update returned null").requireOrder(orderId));
        });
        return read(orderId, stored);
    }

    @Override
    public Optional<OrderPayments> find(String orderId) {
        Objects.requireNonNull(orderId, "orderId");
        return store.find(STATE_SCOPE, orderId).map(document -> read(orderId, document));
    }

    /** {@code payments} as the stored JSON document. */
    String write(OrderPayments payments) {
        ObjectNode root = json.createObjectNode()
                .put("format", FORMAT)
                .put("orderId", payments.orderId())
                .put("state", payments.state().name());
        ArrayNode transactions = root.putArray("transactions");
        for (RecordedTransaction transaction : payments.transactions().values()) {
            key(transactions.addObject(), transaction.key())
                    .put("value", transaction.value())
                    .put("status", transaction.status())
                    .put("counted", transaction.counted())
                    .put("reverted", transaction.reverted());
        }
        ArrayNode ignored = root.putArray("ignored");
        for (IgnoredCallback callback : payments.ignored()) {
            key(ignored.addObject(), callback.key()).put("status", callback.status());
        }
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the payments of order " + payments.orderId(), e);
        }
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

    private static ObjectNode key(ObjectNode node, TransactionKey key) {
        return node.put("crypto", key.crypto().name()).put("txid", key.txid()).put("address", key.address());
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
