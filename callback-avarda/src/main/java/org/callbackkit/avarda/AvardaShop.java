package org.callbackkit.avarda;

import java.util.Optional;

/**
 * The host shop, as Avarda's completed-purchase notifications need it: find the shop's order, and
 * be told that it is paid or must be held. Implement it over the shop's order store. Calls for one
 * purchase from the delayed action and {@link AvardaCallbacks#confirmOrder(String)} never
 * overlap, on any node sharing the {@link org.callbackkit.core.state.StateStore}.
 */
public interface AvardaShop {

    /**
     * The shop order of the purchase (the shop stores the purchase id when it initializes the
     * payment), or empty when the shop has none: the notification is then answered 404, so that
     * Avarda sends it again 10 minutes later. Also called on the request thread of each notification.
     */
    Optional<AvardaShopOrder> findOrder(String purchaseId);

    /**
     * One change of one order: {@link AvardaStateChange.Kind#PAID} once per purchase and never for
     * an order the shop has as paid; {@link AvardaStateChange.Kind#ON_HOLD} once. If it throws,
     * nothing is recorded: the change is reported again on the next attempt (or
     * {@code confirmOrder} throws). The engine records what it told you in the same step, on every node sharing the state store;
     * you may hear a change twice only when the store could not record it after you returned (a
     * database outage at that instant), so check your own order before acting twice.
     */
    void onStateChange(AvardaStateChange change);
}
