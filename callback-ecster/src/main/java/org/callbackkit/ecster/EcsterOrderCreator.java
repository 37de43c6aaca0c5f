package org.callbackkit.ecster;

/**
 * Opt-in backup order creation (what the older WooCommerce plugin did): when Ecster says an order
 * is paid ({@code READY} or {@code FULLY_DELIVERED}) and the shop has no order for it, the module
 * asks the host to create one from Ecster's order, then reports it paid. Set it with
 * {@link EcsterCallbacks.Builder#orderCreator(EcsterOrderCreator)}; without it, a missing shop
 * order is looked for again on the retry schedule and the action ends dead when it never appears.
 */
@FunctionalInterface
public interface EcsterOrderCreator {

    /**
     * Creates the shop order, unpaid, from Ecster's order: {@link EcsterOrder#lines()} (article
     * numbers, quantities, prices), {@link EcsterOrder#buyer()}, {@link EcsterOrder#amount()} and
     * {@link EcsterOrder#currency()}. Link it to {@link EcsterOrder#id()} so that
     * {@link EcsterOrderLookup#findByEcsterOrderId} finds it from now on: if reporting it paid
     * fails, the retry must find it rather than create a second one. Called under the order's lock.
     *
     * @return the order created
     */
    EcsterShopOrder create(EcsterOrder order);
}
