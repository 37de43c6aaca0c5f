package org.callbackkit.blockonomics;

/**
 * Told of the Order Hook callbacks of Blockonomics-managed orders (payment buttons, payment links,
 * hosted checkouts); set with {@link BlockonomicsCallbacks.Builder#orderHooks}.
 */
@FunctionalInterface
public interface OrderHookListener {

    /**
     * An order reached a status: told once per order and status, on every node sharing the
     * {@linkplain BlockonomicsCallbacks.Builder#stateStore state store}, whatever the order the
     * statuses arrive in (Blockonomics retries, and a redelivery is answered 200 without telling you
     * again). Called on the request thread while the order's key is held: if it throws, the
     * callback is answered 500, nothing is recorded, and Blockonomics delivers it again, so you may
     * hear a status twice after such a failure. {@link OrderHookState#PAYMENT_ERROR} after
     * {@link OrderHookState#PAID} is logged as a warning too: goods may have shipped.
     */
    void onOrderStatus(OrderHookCallback callback);
}
