package org.callbackkit.avarda;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A shop as a host would write one: orders linked to purchase ids, paid once. */
final class TestShop implements AvardaShop {

    private record Order(String reference, BigDecimal total, String currency) {
    }

    private final Map<String, Order> byPurchaseId = new ConcurrentHashMap<>();
    final Set<String> paid = ConcurrentHashMap.newKeySet();
    final List<AvardaStateChange> changes = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresToThrow = new AtomicInteger();

    TestShop add(String purchaseId, String reference, String total) {
        byPurchaseId.put(purchaseId, new Order(reference, new BigDecimal(total), "SEK"));
        return this;
    }

    @Override
    public Optional<AvardaShopOrder> findOrder(String purchaseId) {
        return Optional.ofNullable(byPurchaseId.get(purchaseId))
                .map(o -> new AvardaShopOrder(o.reference(), o.total(), o.currency(), paid.contains(o.reference())));
    }

    @Override
    public void onStateChange(AvardaStateChange change) {
        if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("shop database down");
        }
        changes.add(change);
        if (change.kind() == AvardaStateChange.Kind.PAID) {
            paid.add(change.shopOrder().reference());
        }
    }

    List<AvardaStateChange.Kind> kinds() {
        return changes.stream().map(AvardaStateChange::kind).toList();
    }
}
