package org.callbackkit.blockonomics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the ledger knows about one order's payments. Immutable.
 *
 * @param orderId the shop's order id
 * @param state where the payment stands
 * @param transactions the payments seen, each counted once, in the order first seen
 */
public record OrderPayments(String orderId, PaymentState state, Map<TransactionKey, RecordedTransaction> transactions) {

    public OrderPayments {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(state, "state");
        transactions = Collections.unmodifiableMap(new LinkedHashMap<>(transactions));
    }

    /** An order with no payment seen. */
    public static OrderPayments open(String orderId) {
        return new OrderPayments(orderId, PaymentState.OPEN, Map.of());
    }

    /** The payment recorded under {@code key}, if any. */
    public Optional<RecordedTransaction> transaction(TransactionKey key) {
        return Optional.ofNullable(transactions.get(key));
    }

    /** The sum of the counted payments, in base units. */
    public long paidAmount() {
        long sum = 0;
        for (RecordedTransaction transaction : transactions.values()) {
            if (transaction.counted()) {
                sum = Math.addExact(sum, transaction.value());
            }
        }
        return sum;
    }

    /** A copy with {@code transaction} recorded (replacing an earlier record of it) and {@code state}. */
    OrderPayments with(RecordedTransaction transaction, PaymentState state) {
        Map<TransactionKey, RecordedTransaction> copy = new LinkedHashMap<>(transactions);
        copy.put(transaction.key(), transaction);
        return new OrderPayments(orderId, state, copy);
    }
}
