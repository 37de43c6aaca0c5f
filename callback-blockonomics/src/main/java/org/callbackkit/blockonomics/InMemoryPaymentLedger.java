package org.callbackkit.blockonomics;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A {@link PaymentLedger} in memory: the default, and the fake for tests (inspect it with
 * {@link #find(String)}). Updates of one order are serialized; those of different orders mostly
 * run in parallel (an order's lock is one of {@value #LOCKS}, chosen by its id, so that the locks
 * take fixed memory however many orders pass). Lost on restart; after a restart, Blockonomics' own
 * retries and the order's state in the shop are what remain.
 */
public final class InMemoryPaymentLedger implements PaymentLedger {

    private static final int LOCKS = 256;

    private final ConcurrentHashMap<String, OrderPayments> orders = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[LOCKS];

    /** An empty ledger. */
    public InMemoryPaymentLedger() {
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public OrderPayments update(String orderId, UnaryOperator<OrderPayments> update) {
        Objects.requireNonNull(orderId, "orderId");
        synchronized (locks[Math.floorMod(orderId.hashCode(), LOCKS)]) {
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
