package org.callbackkit.ecster;

import java.util.Optional;

/**
 * How the module finds the shop's order for an Ecster order. Called under the Ecster order's lock
 * (never twice at once for one Ecster order within a JVM), from the delayed action's thread or the
 * thread of {@link EcsterCallbacks#confirmOrder(String)}.
 */
public interface EcsterOrderLookup {

    /**
     * The shop order linked to Ecster's internal order id (the shop stores it when the browser
     * reports the purchase, or when it creates the order from {@link EcsterOrderCreator}).
     */
    Optional<EcsterShopOrder> findByEcsterOrderId(String ecsterOrderId);

    /**
     * The shop order for the temporary reference the shop gave Ecster at cart creation, in the
     * notification URL ({@link EcsterCallbacks#notificationUrl(String, String)}): how an order is
     * found whose browser never reported the Ecster id. Default: none.
     */
    default Optional<EcsterShopOrder> findByTemporaryReference(String temporaryReference) {
        return Optional.empty();
    }
}
