package org.callbackkit.examples;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo shop's order store, in memory and thread-safe. An order is paid at most once:
 * {@link #markPaid(String)} is idempotent, and {@link #paidTransitions()} counts how often an
 * order actually went from {@link Status#PENDING} to {@link Status#PAID}.
 */
public final class DemoOrders {

    /** Where an order stands. */
    public enum Status {
        PENDING, PAID
    }

    /**
     * One order.
     *
     * @param id the order id, as it appears in callback URLs
     * @param amountMinor the amount due in minor units (cents, öre)
     * @param status where it stands
     */
    public record Order(String id, long amountMinor, Status status) {
    }

    private final ConcurrentMap<String, Order> orders = new ConcurrentHashMap<>();
    private final AtomicInteger paidTransitions = new AtomicInteger();

    /**
     * Adds a pending order.
     *
     * @throws IllegalStateException if an order with that id exists
     */
    public Order add(String id, long amountMinor) {
        Order order = new Order(Objects.requireNonNull(id, "id"), amountMinor, Status.PENDING);
        if (orders.putIfAbsent(id, order) != null) {
            throw new IllegalStateException("order " + id + " exists");
        }
        return order;
    }

    /** The order with that id, if any. */
    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    /**
     * Marks the order paid unless it already is.
     *
     * @return true if this call made it paid, false if it already was
     * @throws IllegalArgumentException if there is no such order
     */
    public boolean markPaid(String id) {
        boolean[] changed = {false};
        Order after = orders.computeIfPresent(id, (key, order) -> {
            if (order.status() == Status.PAID) {
                return order;
            }
            changed[0] = true;
            return new Order(key, order.amountMinor(), Status.PAID);
        });
        if (after == null) {
            throw new IllegalArgumentException("unknown order " + id);
        }
        if (changed[0]) {
            paidTransitions.incrementAndGet();
        }
        return changed[0];
    }

    /** How many times an order went from pending to paid, over all orders. */
    public int paidTransitions() {
        return paidTransitions.get();
    }
}
