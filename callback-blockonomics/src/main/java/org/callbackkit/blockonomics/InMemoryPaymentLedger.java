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

    /** One per order ever updated; the order's lock, so that one map entry serves both. */
    private static final class Order {
        volatile OrderPayments payments; // written only while holding this
    }

    private final ConcurrentHashMap<String, Order> orders = new ConcurrentHashMap<>();

    @Override
    public OrderPayments update(String orderId, UnaryOperator<OrderPayments> update) {
        Objects.requireNonNull(orderId, "orderId");
        Order order = orders.computeIfAbsent(orderId, id -> new Order());
        synchronized (order) {
            OrderPayments before = order.payments == null ? OrderPayments.open(orderId) : order.payments;
            OrderPayments after = Objects.requireNonNull(update.apply(before), "update returned null").requireOrder(orderId);
            order.payments = after;
            return after;
        }
    }

    @Override
    public Optional<OrderPayments> find(String orderId) {
        Order order = orders.get(orderId);
        return order == null ? Optional.empty() : Optional.ofNullable(order.payments);
    }
}
