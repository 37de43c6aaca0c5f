package org.callbackkit.klarna;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.callbackkit.core.reconcile.Source;

/** A shop for tests: orders by Klarna order id, and a record of every call the module made. */
final class TestShop implements KlarnaShop {

    private final Map<String, KlarnaShopOrder> orders = new ConcurrentHashMap<>();
    final List<String> confirmed = new ArrayList<>();
    final List<List<String>> mismatches = new ArrayList<>();
    final List<String> completedByPush = new ArrayList<>();
    final List<String> fraudDecisions = new ArrayList<>();
    volatile RuntimeException failConfirm;
    /** Whether {@link #findOrder} reports confirmed orders as such; a careless shop does not. */
    volatile boolean reportConfirmed = true;
    /** Backup order creation, opted into by a test; none by default. */
    volatile java.util.function.Function<KlarnaOrder, Optional<KlarnaShopOrder>> creator = order -> Optional.empty();

    @Override
    public Optional<KlarnaShopOrder> createOrder(KlarnaOrder order) {
        return creator.apply(order);
    }

    TestShop order(String klarnaOrderId, KlarnaShopOrder order) {
        orders.put(klarnaOrderId, order);
        return this;
    }

    @Override
    public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
        return Optional.ofNullable(orders.get(klarnaOrderId));
    }

    @Override
    public synchronized void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        if (failConfirm != null) {
            throw failConfirm;
        }
        confirmed.add(order.orderId() + " by " + source + " fraud " + order.fraudStatus());
        if (reportConfirmed) {
            orders.put(order.orderId(), shopOrder.asConfirmed());
        }
    }

    @Override
    public synchronized void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        mismatches.add(differences);
    }

    @Override
    public synchronized void completedByPush(KlarnaOrder order, KlarnaShopOrder shopOrder) {
        completedByPush.add(order.orderId());
    }

    @Override
    public synchronized void fraudDecision(KlarnaOrder order, KlarnaShopOrder shopOrder, FraudEvent event) {
        fraudDecisions.add(order.orderId() + " " + order.fraudStatus() + " after " + event);
    }
}
