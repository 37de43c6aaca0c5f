package org.callbackkit.examples.spring.docs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, String> paid = new ConcurrentHashMap<>();   // your order table stands here

    @Override
    public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
        // your order for the Klarna order id you stored when you created the checkout
        return Optional.of(KlarnaShopOrder.of("1001", "SEK", 24900)   // number, currency, total in minor units
                .withLines(List.of(new KlarnaShopOrder.Line("sku-1", 1))));
    }

    @Override
    public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        if (order.fraudStatus() == FraudStatus.ACCEPTED) {
            paid.put(shopOrder.reference(), order.orderId());              // paid: ship it
        }                                                                   // PENDING or REJECTED: hold it
    }

    @Override
    public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        // Klarna's order is not yours (total, currency, lines): not acknowledged, so a person looks
    }
}
// end::klarna-shop[]
