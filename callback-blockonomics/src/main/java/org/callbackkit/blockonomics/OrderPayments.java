package org.callbackkit.blockonomics;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the ledger knows about one order's payments. Immutable.
 *
 * @param orderId the shop's order id
 * @param state where the payment stands
 * @param transactions the payments seen, each counted once, in the order first seen; no null key or value
 * @param ignored the callbacks ignored (unsafe, unknown status, other currency), by payment and
 *     status, so that a redelivery of one is a duplicate
 */
public record OrderPayments(String orderId, PaymentState state, Map<TransactionKey, RecordedTransaction> transactions,
        Set<IgnoredCallback> ignored) {

    /** A callback that was ignored: which payment, at which status. */
    public record IgnoredCallback(TransactionKey key, int status) {
    }

    /** @throws NullPointerException if a component, a transaction or its key is null */
    public OrderPayments {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(state, "state");
        // most orders are paid by one transaction: a map of one needs no order kept, and is a
        // fraction of the size of a linked one (an in-memory ledger holds one per order)
        transactions = transactions.size() <= 1 ? Map.copyOf(transactions) : linkedCopy(transactions);
        ignored = Set.copyOf(ignored);
    }

    /** An unmodifiable copy in {@code transactions}' order, with {@link Map#copyOf}'s null checks. */
    private static Map<TransactionKey, RecordedTransaction> linkedCopy(
            Map<TransactionKey, RecordedTransaction> transactions) {
        Map<TransactionKey, RecordedTransaction> copy = new LinkedHashMap<>();
        transactions.forEach((key, transaction) -> copy.put(Objects.requireNonNull(key, "transaction key"),
                Objects.requireNonNull(transaction, "transaction")));
        return Collections.unmodifiableMap(copy);
    }

    /** An order with no payment seen. */
    public static OrderPayments open(String orderId) {
        return new OrderPayments(orderId, PaymentState.OPEN, Map.of(), Set.of());
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

    /**
     * This, if it is the payments of {@code orderId}: what a ledger checks before it stores the
     * result of an update, or after it reads a stored one.
     *
     * @throws IllegalStateException if it is another order's
     */
    OrderPayments requireOrder(String orderId) {
        if (!this.orderId.equals(orderId)) {
            throw new IllegalStateException("payments of order " + this.orderId + " where order " + orderId
                    + "'s were expected");
        }
        return this;
    }

    /** A copy with {@code transaction} recorded (replacing an earlier record of it) and {@code state}. */
    OrderPayments with(RecordedTransaction transaction, PaymentState state) {
        if (transactions.isEmpty() || transactions.size() == 1 && transactions.containsKey(transaction.key())) {
            // the common case, an order's first payment: a map of one, which the constructor keeps as is
            return new OrderPayments(orderId, state, Map.of(transaction.key(), transaction), ignored);
        }
        Map<TransactionKey, RecordedTransaction> copy = new LinkedHashMap<>(transactions);
        copy.put(transaction.key(), transaction);
        return new OrderPayments(orderId, state, copy, ignored);
    }

    /** A copy that remembers {@code callback} as ignored. */
    OrderPayments withIgnored(IgnoredCallback callback) {
        Set<IgnoredCallback> copy = new HashSet<>(ignored);
        copy.add(callback);
        return new OrderPayments(orderId, state, transactions, copy);
    }
}
