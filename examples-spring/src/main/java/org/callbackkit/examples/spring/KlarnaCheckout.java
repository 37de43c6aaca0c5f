package org.callbackkit.examples.spring;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.klarna.FraudStatus;
import org.callbackkit.klarna.KlarnaCheckoutAnswer;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.KlarnaValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The shop's side of Klarna Checkout: which shop order a Klarna order pays, what to do when it is
 * confirmed, and the validation that turns away a sold-out article. Shop logic only; the starter
 * wires it in because it is a {@link KlarnaShop} and a {@link KlarnaValidator} bean.
 */
@Component
public class KlarnaCheckout implements KlarnaShop, KlarnaValidator {

    /** Klarna's id of the demo purchase, which pays shop order {@value ShopOrders#KLARNA_SHOP_ORDER_ID}. */
    public static final String KLARNA_ORDER_ID = "4f1c2b7e-5001-4d6a-9c1e-0d3m0k1arna";
    /** The article the shop sells. */
    public static final String SKU = "demo-sku-1";
    /** An article out of stock. */
    public static final String SOLD_OUT_SKU = "sold-out-sku";
    /** Where a shopper with a sold-out article is sent back to. */
    public static final URI SOLD_OUT_PAGE = URI.create("https://shop.example/cart?sold-out=" + SOLD_OUT_SKU);

    private static final Logger LOG = LoggerFactory.getLogger(KlarnaCheckout.class);

    private final ShopOrders orders;
    private final Map<String, String> shopOrderByKlarnaOrder = Map.of(KLARNA_ORDER_ID, ShopOrders.KLARNA_SHOP_ORDER_ID);

    public KlarnaCheckout(ShopOrders orders) {
        this.orders = orders;
    }

    @Override
    public KlarnaCheckoutAnswer validate(KlarnaOrder order) {
        return order.orderLines().stream().anyMatch(line -> line.reference().equals(SOLD_OUT_SKU))
                ? KlarnaCheckoutAnswer.redirect(SOLD_OUT_PAGE)
                : KlarnaCheckoutAnswer.approve();
    }

    @Override
    public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
        return Optional.ofNullable(shopOrderByKlarnaOrder.get(klarnaOrderId)).flatMap(orders::find)
                .map(order -> new KlarnaShopOrder(order.id(), "SEK", order.amountMinor(),
                        List.of(new KlarnaShopOrder.Line(SKU, 1)), order.status() == ShopOrders.Status.PAID));
    }

    @Override
    public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        if (order.fraudStatus() == FraudStatus.ACCEPTED) {
            orders.markPaid(shopOrder.reference());
        } else {
            LOG.warn("Klarna order {} is {}: holding shop order {}", order.orderId(), order.fraudStatus(),
                    shopOrder.reference());
        }
    }

    @Override
    public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        LOG.warn("Klarna order {} does not match shop order {}: {}", order.orderId(), shopOrder.reference(), differences);
    }
}
