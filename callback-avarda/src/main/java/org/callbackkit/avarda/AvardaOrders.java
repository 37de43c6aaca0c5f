package org.callbackkit.avarda;

import java.util.Optional;

/**
 * How the module finds the shop's order for an Avarda purchase: the shop stores the purchase id
 * when it initializes the payment. Called on the request thread for each notification, and under
 * the purchase's lock by the delayed action and {@link AvardaCallbacks#confirmPurchase(String)}.
 */
@FunctionalInterface
public interface AvardaOrders {

    /**
     * The shop order of the purchase, or empty when the shop has none (the notification is then
     * answered 404, so that Avarda sends it again 10 minutes later).
     */
    Optional<AvardaShopOrder> findByPurchaseId(String purchaseId);
}
