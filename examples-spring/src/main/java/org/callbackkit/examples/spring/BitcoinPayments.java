package org.callbackkit.examples.spring;

import java.util.Map;
import java.util.Optional;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.springframework.stereotype.Component;

/**
 * The shop's side of Blockonomics: which order a receiving address belongs to, and marking it
 * paid. Shop logic only; the starter wires it in because it is a {@link BlockonomicsShop} bean.
 */
@Component
public class BitcoinPayments implements BlockonomicsShop {

    /** The receiving address of order {@value ShopOrders#BITCOIN_ORDER_ID}. */
    public static final String BITCOIN_ADDRESS = "bc1qdemo2001receiving";
    /** The receiving address of order {@value ShopOrders#UNDERPAID_ORDER_ID}. */
    public static final String UNDERPAID_ADDRESS = "bc1qdemo2002receiving";

    private final ShopOrders orders;
    private final Map<String, String> orderByAddress = Map.of(BITCOIN_ADDRESS, ShopOrders.BITCOIN_ORDER_ID,
            UNDERPAID_ADDRESS, ShopOrders.UNDERPAID_ORDER_ID);

    public BitcoinPayments(ShopOrders orders) {
        this.orders = orders;
    }

    @Override
    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
        return Optional.ofNullable(orderByAddress.get(callback.address())).flatMap(orders::find)
                .map(order -> new ExpectedPayment(order.id(), Crypto.BTC, order.amountMinor()));
    }

    @Override
    public void onPayment(PaymentEvent event) {
        if (event.kind() == PaymentEvent.Kind.PAID || event.kind() == PaymentEvent.Kind.OVERPAID) {
            orders.markPaid(event.orderId());
        }
    }
}
