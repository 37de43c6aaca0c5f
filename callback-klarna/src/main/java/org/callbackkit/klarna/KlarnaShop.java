package org.callbackkit.klarna;

import java.util.List;
import java.util.Optional;
import org.callbackkit.core.reconcile.Source;

/**
 * The host shop, as the push flow and fraud notifications need it. Implement it over the shop's
 * order store. Calls for one Klarna order never overlap, on any node sharing the
 * {@link org.callbackkit.core.state.StateStore} (the engine holds the order's key), so an
 * implementation only needs to be safe across different orders. Report an order confirmed by any
 * path through {@link KlarnaShopOrder#confirmed()}: it is then acknowledged, not confirmed again.
 */
public interface KlarnaShop {

    /**
     * The shop's order for a Klarna order id, or empty if the shop has not created it yet (then
     * the push is retried later, and the order is not acknowledged).
     */
    Optional<KlarnaShopOrder> findOrder(String klarnaOrderId);

    /**
     * Confirms the order in the shop: mark it paid when {@code order.fraudStatus()} is
     * {@link FraudStatus#ACCEPTED}, on hold when {@link FraudStatus#PENDING} or
     * {@link FraudStatus#REJECTED}. Called once per order by this module, and only after amount,
     * lines and state matched; the order is acknowledged to Klarna after it returns, and the module
     * records that it returned, so a failed acknowledgement does not confirm again. Throwing leaves
     * the order unconfirmed and unacknowledged, to be tried again. You may be called twice only when
     * the state store could not record the confirmation after you returned (a database outage at
     * that instant): report an order you have confirmed through {@link KlarnaShopOrder#confirmed()}.
     *
     * @param order the order as Order Management reports it, never the callback's word
     * @param shopOrder what {@link #findOrder} returned
     * @param source whether the browser or Klarna's push got here first
     */
    void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source);

    /**
     * Klarna's order differs from the shop's (currency, amount, lines) or cannot be confirmed
     * (cancelled, expired or closed at Klarna): put the order on hold and investigate. The order
     * is not acknowledged, so Klarna keeps pushing (each push compares again) until 48 h after the
     * purchase.
     *
     * @param differences one plain sentence per difference
     */
    void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences);

    /**
     * The push, not the browser, confirmed this order: the shopper's return to the confirmation
     * page failed (closed tab, app switch, blocked redirect). Worth an operator's look; also
     * journaled with kind {@code push.completed}. Default: nothing.
     */
    default void completedByPush(KlarnaOrder order, KlarnaShopOrder shopOrder) {
    }

    /**
     * Klarna decided on an order's fraud risk. For {@link FraudEvent#FRAUD_RISK_ACCEPTED} and
     * {@link FraudEvent#FRAUD_RISK_REJECTED}, act on {@code order.fraudStatus()}, re-read from
     * Order Management (the notification's word is not trusted). For
     * {@link FraudEvent#FRAUD_RISK_STOPPED}, stop the shipment whatever the fraud status says:
     * Klarna sends it for orders already accepted. Called once per order, event and fraud status.
     * Default: nothing.
     */
    default void fraudDecision(KlarnaOrder order, KlarnaShopOrder shopOrder, FraudEvent event) {
    }

    /**
     * Opt-in backup order creation, as Kustom's docs recommend: a push arrived for an order the shop
     * has no order for (the shopper's browser never reached the shop's confirmation step). Create it
     * from Klarna's order ({@link KlarnaOrder#orderLines()}, amounts, currency), unconfirmed, and
     * link it to the Klarna order id so that {@link #findOrder} finds it from now on; it is then
     * compared and confirmed as usual. Default: none is created, and the push is retried until the
     * shop's order appears.
     *
     * @return the order created, or empty to create none
     */
    default Optional<KlarnaShopOrder> createOrder(KlarnaOrder order) {
        return Optional.empty();
    }
}
