package org.callbackkit.examples.spring;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The shop's own orders, in memory: the same demo orders as the Jetty demo shop. A real shop
 * keeps them in its database.
 */
@Component
public class ShopOrders {

    /** The order bought through Klarna. */
    public static final String KLARNA_SHOP_ORDER_ID = "5001";
    /** The bitcoin order paid in full. */
    public static final String BITCOIN_ORDER_ID = "2001";
    /** The bitcoin order underpaid. */
    public static final String UNDERPAID_ORDER_ID = "2002";

    /** Whether an order is paid. */
    public enum Status { OPEN, PAID }

    /** One order: amount in minor units (öre, satoshi). */
    public record Order(String id, long amountMinor, Status status) {
    }

    private final Map<String, Order> orders = new ConcurrentHashMap<>();

    public ShopOrders() {
        add(KLARNA_SHOP_ORDER_ID, 24_900);
        add(BITCOIN_ORDER_ID, 100_000);
        add(UNDERPAID_ORDER_ID, 100_000);
    }

    /** Adds an open order. */
    public void add(String id, long amountMinor) {
        orders.put(id, new Order(id, amountMinor, Status.OPEN));
    }

    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    /** Marks an order paid; paying it again changes nothing. */
    public void markPaid(String id) {
        orders.computeIfPresent(id, (key, order) -> new Order(key, order.amountMinor(), Status.PAID));
    }
}
