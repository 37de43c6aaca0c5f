package org.callbackkit.ecster;

import java.util.Optional;

/**
 * The host shop, as Ecster's order events need it: find the shop's order, and be told how it
 * changed. Implement it over the shop's order store. Calls for one Ecster order never overlap, on
 * any node sharing the {@link org.callbackkit.core.state.StateStore} (the engine holds the order's key),
 * so an implementation only needs to be safe across different orders.
 */
public interface EcsterShop {

    /**
     * The shop order linked to Ecster's internal order id (the shop stores it when the browser
     * reports the purchase, or when it creates the order in {@link #createOrder}).
     */
    Optional<EcsterShopOrder> findOrder(String ecsterOrderId);

    /**
     * The shop order for the temporary reference the shop gave Ecster at cart creation, in the
     * notification URL ({@link EcsterCallbacks#notificationUrl(String, String)}): how an order is
     * found whose browser never reported the Ecster id. Default: none.
     */
    default Optional<EcsterShopOrder> findByTemporaryReference(String temporaryReference) {
        return Optional.empty();
    }

    /**
     * One change of one order, to apply to the shop's order (mark it paid, cancel it, fail it, add
     * a note): {@link EcsterOrderState#PAID} once per order and never for an order the shop has as
     * paid; every other status once per order; a paid order is never cancelled or failed
     * afterwards. If it throws, nothing is recorded: the change is reported again on the next
     * attempt (or {@code confirmOrder} throws). The engine records what it told you in the same step, on every node sharing the state store;
     * you may hear a change twice only when the store could not record it after you returned (a
     * database outage at that instant), so check your own order before acting twice.
     */
    void onStateChange(EcsterStateChange change);

    /**
     * Opt-in backup order creation (what the older WooCommerce plugin did): Ecster says the order is
     * paid ({@code READY} or {@code FULLY_DELIVERED}) and the shop has no order for it. Create it,
     * unpaid, from Ecster's order ({@link EcsterOrder#lines()}, {@link EcsterOrder#buyer()},
     * {@link EcsterOrder#amount()}, {@link EcsterOrder#currency()}) and link it to
     * {@link EcsterOrder#id()}, so that {@link #findOrder} finds it from now on; it is
     * then reported paid. Default: none is created; a missing shop order is looked for again on the
     * retry schedule, and the action ends dead when it never appears.
     *
     * @return the order created, or empty to create none
     */
    default Optional<EcsterShopOrder> createOrder(EcsterOrder paidOrder) {
        return Optional.empty();
    }
}
