package org.callbackkit.klarna;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares Klarna's order with the shop's as Klarna's own WooCommerce plugin does: state, currency,
 * the total within a tolerance, and the product lines by reference and quantity. Lines Klarna adds
 * that a shop's cart often lacks (discounts, shipping fees, US sales tax, gift cards, store credit,
 * surcharges) count in the total, and are compared as lines only when the shop lists them too:
 * flagging them would leave paid orders unacknowledged. Stricter than the plugin on purpose: a
 * product line only Klarna has is a difference (the plugin ignores it), since the shop would ship
 * without knowing of it.
 */
final class OrderComparison {

    /** Order Management states in which an order must not be confirmed. */
    static final Set<String> NOT_CONFIRMABLE = Set.of("CANCELLED", "EXPIRED", "CLOSED");
    /** Klarna's line types that are not products; compared only through the total. */
    static final Set<String> NOT_PRODUCTS = Set.of("discount", "shipping_fee", "sales_tax", "gift_card", "store_credit",
            "surcharge");

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
            Map<String, Long> klarnaAmounts = new TreeMap<>();
            Set<String> totalOnly = new HashSet<>(); // references of lines the shop need not list
            try {
                order.orderLines().forEach(line -> {
                    klarna.merge(line.reference(), line.quantity(), Math::addExact);
                    klarnaAmounts.merge(line.reference(), line.totalAmount(), Math::addExact);
                    if (NOT_PRODUCTS.contains(line.type())) {
                        totalOnly.add(line.reference());
                    }
                });
            } catch (ArithmeticException e) {
                differences.add("line quantities at Klarna are too large to add up");
                return differences;
            }
            Map<String, Long> shop = new TreeMap<>();
            shopOrder.lines().forEach(line -> shop.merge(line.reference(), line.quantity(), Long::sum));
            for (Map.Entry<String, Long> expected : shop.entrySet()) {
                long actual = klarna.getOrDefault(expected.getKey(), 0L);
                if (actual != expected.getValue()) {
                    differences.add("line " + expected.getKey() + ": quantity " + actual + " at Klarna (amount "
                            + klarnaAmounts.getOrDefault(expected.getKey(), 0L) + "), " + expected.getValue()
                            + " in the shop");
                }
            }
            klarna.keySet().stream().filter(reference -> !shop.containsKey(reference) && !totalOnly.contains(reference))
                    .forEach(reference -> differences.add("line " + reference + " is at Klarna only (quantity "
                            + klarna.get(reference) + ", amount " + klarnaAmounts.get(reference) + ")"));
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
