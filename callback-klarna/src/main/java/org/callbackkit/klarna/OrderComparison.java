package org.callbackkit.klarna;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares Klarna's order with the shop's: currency, total within one minor unit, and lines by reference. */
final class OrderComparison {

    /** Rounding between the shop's and Klarna's tax calculation may differ by this much. */
    static final long TOLERANCE_MINOR_UNITS = 1;

    private OrderComparison() {
    }

    static List<String> differences(KlarnaOrder order, KlarnaShopOrder shopOrder) {
        List<String> differences = new ArrayList<>();
        if (!order.purchaseCurrency().equalsIgnoreCase(shopOrder.currency())) {
            differences.add("currency is " + order.purchaseCurrency() + " at Klarna, " + shopOrder.currency() + " in the shop");
        }
        if (Math.abs(order.orderAmount() - shopOrder.totalAmount()) > TOLERANCE_MINOR_UNITS) {
            differences.add("total is " + order.orderAmount() + " at Klarna, " + shopOrder.totalAmount() + " in the shop");
        }
        if (!shopOrder.lines().isEmpty()) {
            Map<String, Long> klarna = new TreeMap<>();
            order.orderLines().forEach(line -> klarna.merge(line.reference(), line.quantity(), Long::sum));
            Map<String, Long> shop = new TreeMap<>();
            shopOrder.lines().forEach(line -> shop.merge(line.reference(), line.quantity(), Long::sum));
            for (Map.Entry<String, Long> expected : shop.entrySet()) {
                long actual = klarna.getOrDefault(expected.getKey(), 0L);
                if (actual != expected.getValue()) {
                    differences.add("line " + expected.getKey() + ": quantity " + actual + " at Klarna, "
                            + expected.getValue() + " in the shop");
                }
            }
            klarna.keySet().stream().filter(reference -> !shop.containsKey(reference))
                    .forEach(reference -> differences.add("line " + reference + " is at Klarna only"));
        }
        return differences;
    }
}
