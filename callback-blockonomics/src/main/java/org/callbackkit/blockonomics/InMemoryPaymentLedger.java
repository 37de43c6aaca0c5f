package org.callbackkit.blockonomics;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A {@link PaymentLedger} in memory, one lock per order (the listener runs inside it, so a slow
 * listener never holds up another order): the default, and the fake for tests (inspect it with
 * {@link #find(String)}). Lost on restart; after a restart, Blockonomics' own
 * retries and the order's state in the shop are what remain.
 */
public final class InMemoryPaymentLedger implements PaymentLedger {

    private final ConcurrentHashMap<String, OrderPayments> orders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    @Override
    public OrderPayments update(String orderId, UnaryOperator<OrderPayments> update) {
        Objects.requireNonNull(orderId, "orderId");
        synchronized (locks.computeIfAbsent(orderId, id -> new Object())) {
            OrderPayments before = orders.get(orderId);
            if (before == null) {
                before = OrderPayments.open(orderId);
            }
            OrderPayments after = Objects.requireNonNull(update.apply(before), "update returned null").requireOrder(orderId);
            orders.put(orderId, after);
            return after;
        }
    }

    @Override
    public Optional<OrderPayments> find(String orderId) {
        return Optional.ofNullable(orders.get(orderId));
    }
}
