package org.callbackkit.klarna;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Compares Klarna's order with the shop's: state, currency, total within a tolerance, and lines by reference. */
final class OrderComparison {

    /** Order Management states in which an order must not be confirmed. */
    private static final Set<String> NOT_CONFIRMABLE = Set.of("CANCELLED", "EXPIRED", "CLOSED");

    private OrderComparison() {
    }

    static List<String> differences(KlarnaOrder order, KlarnaShopOrder shopOrder, long toleranceMinorUnits) {
        List<String> differences = new ArrayList<>();
        if (NOT_CONFIRMABLE.contains(order.status())) {
            differences.add("the order is " + order.status() + " at Klarna");
        }
        if (!order.purchaseCurrency().equalsIgnoreCase(shopOrder.currency())) {
            differences.add("currency is " + order.purchaseCurrency() + " at Klarna, " + shopOrder.currency() + " in the shop");
        }
        if (!withinTolerance(order.orderAmount(), shopOrder.totalAmount(), toleranceMinorUnits)) {
            differences.add("total is " + order.orderAmount() + " at Klarna, " + shopOrder.totalAmount() + " in the shop");
        }
        if (!shopOrder.lines().isEmpty()) {
            Map<String, Long> klarna = new TreeMap<>();
            try {
                order.orderLines().forEach(line -> klarna.merge(line.reference(), line.quantity(), Math::addExact));
            } catch (ArithmeticException e) {
                differences.add("line quantities at Klarna are too large to add up");
                return differences;
            }
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

    /** |a - b| <= tolerance, also where a - b overflows (and Math.abs(Long.MIN_VALUE) is negative). */
    private static boolean withinTolerance(long a, long b, long tolerance) {
        try {
            return Math.absExact(Math.subtractExact(a, b)) <= tolerance;
        } catch (ArithmeticException e) {
            return false;
        }
    }
}
