package org.callbackkit.examples.springdocs;

import java.util.List;
import java.util.Optional;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.klarna.FraudStatus;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.springframework.stereotype.Component;

/** The README's step 2: the one class a Spring Boot shop writes to receive Klarna callbacks. */
// tag::klarna-shop[]
@Component
public class KlarnaOrders implements KlarnaShop {
    private final OrderBook orders;                    // your own orders, however you keep them

    public KlarnaOrders(OrderBook orders) {
        this.orders = orders;
    }

    @Override
    public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {   // the id you stored at checkout
        return orders.byKlarnaOrderId(klarnaOrderId).map(order -> new KlarnaShopOrder(
                order.number(), order.currency(), order.totalMinorUnits(),   // amounts in minor units
                List.of(new KlarnaShopOrder.Line(order.sku(), order.quantity())), order.paid()));
    }

    @Override
    public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        if (order.fraudStatus() == FraudStatus.ACCEPTED) {
            orders.markPaid(shopOrder.reference());                           // paid: ship it
        } else {
            orders.hold(shopOrder.reference(), "Klarna fraud status " + order.fraudStatus());
        }
    }

    @Override
    public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        orders.hold(shopOrder.reference(), "differs from Klarna's order: " + differences);  // not acknowledged
    }
}
// end::klarna-shop[]
