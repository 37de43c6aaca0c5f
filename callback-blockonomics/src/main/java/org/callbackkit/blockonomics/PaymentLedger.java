package org.callbackkit.blockonomics;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the module keeps which payments it has counted for which order: its idempotency state.
 * Implementations are thread-safe; a durable one keeps this across restarts.
 */
public interface PaymentLedger {

    /**
     * Applies {@code update} to the order's payments ({@link OrderPayments#open(String)} for an
     * order not seen before) while no other update of the same order runs, and stores its result.
     * If {@code update} throws, nothing is stored and the exception propagates, so a callback
     * whose listener failed is counted again when Blockonomics retries it.
     *
     * @return what was stored
     */
    OrderPayments update(String orderId, UnaryOperator<OrderPayments> update);

    /** The order's payments, if any callback for it was recorded. */
    Optional<OrderPayments> find(String orderId);
}
