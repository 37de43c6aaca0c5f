package org.callbackkit.blockonomics;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.callbackkit.core.state.StateStore;

/**
 * Where the module keeps which payments it has counted for which order: its idempotency state.
 * Implementations are thread-safe; a durable one keeps this across restarts.
 *
 * <p>{@link InMemoryPaymentLedger} is the default and loses what it counted on restart, so that a
 * retried callback would be counted again. {@link #in(StateStore)} keeps it in a core
 * {@link StateStore}, such as callback-jdbc's durable one, shared by every node of the shop:
 * {@code PaymentLedger.in(jdbcCallbackStore.stateStore())}.
 */
public interface PaymentLedger {

    /** The scope of the state store under which {@link #in(StateStore)} keeps the orders' payments, by order id. */
    String STATE_SCOPE = "blockonomics.payments";

    /**
     * A ledger in {@code store}: each order's payments are one JSON document under scope
     * {@value #STATE_SCOPE}, key the order id, and each {@link #update} runs under the store's
     * lock of that order, on every node sharing the store. Its methods throw what the store
     * throws (a durable store's {@code TemporarilyUnavailableException}: the callback is answered
     * 503 and Blockonomics retries), and {@link IllegalStateException} for a stored document
     * they cannot read.
     *
     * @throws NullPointerException if store is null
     */
    static PaymentLedger in(StateStore store) {
        return new StoredPaymentLedger(store);
    }

    /**
     * Applies {@code update} to the order's payments ({@link OrderPayments#open(String)} for an
     * order not seen before) while no other update of the same order runs, and stores its result.
     * If {@code update} throws, nothing is stored and the exception propagates, so a callback
     * whose listener failed is counted again when Blockonomics retries it. The same holds when a
     * durable ledger cannot store the result after {@code update} returned: it throws and stores
     * nothing.
     *
     * @return what was stored
     * @throws IllegalStateException if {@code update} returns another order's payments
     * @throws org.callbackkit.core.TemporarilyUnavailableException if a durable ledger cannot
     *     reach its store or commit
     */
    OrderPayments update(String orderId, UnaryOperator<OrderPayments> update);

    /** The order's payments, if any callback for it was recorded. */
    Optional<OrderPayments> find(String orderId);
}
