package org.callbackkit.ecster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A shop as a host would write one: orders linked to Ecster ids or temporary references; paid once. */
final class TestShop implements EcsterShop {

    final Map<String, String> byEcsterId = new ConcurrentHashMap<>();
    final Map<String, String> byTemporaryReference = new ConcurrentHashMap<>();
    final Set<String> paid = ConcurrentHashMap.newKeySet();
    /** What each shop order expects to be paid, in öre; 19800 SEK (two mugs) unless set. */
    final Map<String, Long> amounts = new ConcurrentHashMap<>();
    final List<EcsterStateChange> changes = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresToThrow = new AtomicInteger();
    /** Backup order creation, opted into by a test; none by default. */
    volatile Function<EcsterOrder, Optional<EcsterShopOrder>> creator = order -> Optional.empty();

    TestShop link(String ecsterOrderId, String shopOrder) {
        byEcsterId.put(ecsterOrderId, shopOrder);
        return this;
    }

    @Override
    public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
        return Optional.ofNullable(byEcsterId.get(ecsterOrderId)).map(this::order);
    }

    @Override
    public Optional<EcsterShopOrder> findByTemporaryReference(String temporaryReference) {
        return Optional.ofNullable(byTemporaryReference.get(temporaryReference)).map(this::order);
    }

    private EcsterShopOrder order(String reference) {
        return new EcsterShopOrder(reference, amounts.getOrDefault(reference, 19_800L), "SEK", paid.contains(reference));
    }

    @Override
    public void onStateChange(EcsterStateChange change) {
        if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("shop database down");
        }
        changes.add(change);
        if (change.state() == EcsterOrderState.PAID) {
            paid.add(change.shopOrder().reference());
        }
    }

    @Override
    public Optional<EcsterShopOrder> createOrder(EcsterOrder paidOrder) {
        return creator.apply(paidOrder);
    }

    List<EcsterOrderState> states() {
        return changes.stream().map(EcsterStateChange::state).toList();
    }
}
