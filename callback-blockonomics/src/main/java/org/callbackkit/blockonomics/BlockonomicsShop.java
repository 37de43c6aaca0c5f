package org.callbackkit.blockonomics;

import java.util.Optional;

/**
 * The host shop, as Blockonomics' payment callbacks need it: find the order a payment is for, and
 * be told what each accepted callback meant. Called concurrently for different orders; for one
 * order, {@link #onPayment} runs inside that order's ledger update, never twice at once on any node
 * sharing the {@link org.callbackkit.core.state.StateStore}.
 */
public interface BlockonomicsShop {

    /**
     * The order a callback pays: for BTC and BCH look it up by {@link BlockonomicsCallback#address()}
     * (one address per order), for USDT by {@link BlockonomicsCallback#txid()}.
     *
     * @return the order and the amount it expects, or empty when the shop knows no such order
     *     (the callback is then answered 200 and journaled {@code NO_ORDER}, or 404 with
     *     {@link BlockonomicsCallbacks.Builder#refusePaymentsWithoutOrder})
     */
    Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback);

    /**
     * One callback changed, or was refused to change, an order's payment. Called on the request
     * thread, inside the order's ledger update: if it throws, the callback is answered 500, nothing
     * is recorded, and Blockonomics' retry delivers it again. So it may be called more than once
     * for one payment (after such a failure) and must be idempotent, e.g. keyed by
     * {@code callback().txid()}.
     */
    void onPayment(PaymentEvent event);

    /** A test callback from the Blockonomics dashboard arrived; it is never a payment. Default: nothing. */
    default void onTestCallback(BlockonomicsCallback callback) {
    }
}
