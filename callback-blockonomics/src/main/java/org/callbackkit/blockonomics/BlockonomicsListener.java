package org.callbackkit.blockonomics;

/**
 * The host's side: told what each accepted callback meant. Called on the request thread, inside
 * the order's ledger update: if it throws, the callback is answered 500, nothing is recorded, and
 * Blockonomics' retry delivers it again. So a method may be called more than once for one payment
 * (after such a failure) and must be idempotent, e.g. keyed by {@code callback().txid()}.
 */
@FunctionalInterface
public interface BlockonomicsListener {

    /** One callback changed, or was refused to change, an order's payment. */
    void onPayment(PaymentEvent event);

    /** A test callback from the Blockonomics dashboard arrived; it is never a payment. */
    default void onTestCallback(BlockonomicsCallback callback) {
    }
}
