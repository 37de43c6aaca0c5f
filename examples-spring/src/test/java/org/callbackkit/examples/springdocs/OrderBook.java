package org.callbackkit.examples.springdocs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Stands in for the shop's own orders in the README's example, however a shop keeps them. */
@Component
public class OrderBook {

    /** A shop order of one line. */
    public record Order(String number, String klarnaOrderId, String currency, long totalMinorUnits, String sku,
            long quantity, boolean paid, String note) {
    }

    private final Map<String, Order> byNumber = new ConcurrentHashMap<>();

    public void add(Order order) {
        byNumber.put(order.number(), order);
    }

    public Optional<Order> byKlarnaOrderId(String klarnaOrderId) {
        return byNumber.values().stream().filter(order -> order.klarnaOrderId().equals(klarnaOrderId)).findFirst();
    }

    public Optional<Order> byNumber(String number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    public void markPaid(String number) {
        byNumber.computeIfPresent(number, (key, order) -> new Order(order.number(), order.klarnaOrderId(),
                order.currency(), order.totalMinorUnits(), order.sku(), order.quantity(), true, order.note()));
    }

    public void hold(String number, String why) {
        byNumber.computeIfPresent(number, (key, order) -> new Order(order.number(), order.klarnaOrderId(),
                order.currency(), order.totalMinorUnits(), order.sku(), order.quantity(), order.paid(), why));
    }
}
