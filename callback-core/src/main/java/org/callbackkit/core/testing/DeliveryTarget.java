package org.callbackkit.core.testing;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.reconcile.Settlement;

/**
 * One provider module wired for callback-test's {@code ProviderDeliveryContract}: its endpoints on a
 * router, a scripted fake of its API, and a shop that counts what it is told. Each provider module
 * ships one in its {@code testing} package, built on the state store and manual scheduler the
 * contract hands it, so the same checks run on the in-memory store and on a durable one.
 *
 * <p>This class keeps the shop's side: which orders the shop has ({@link #shopHasOrder}), and what
 * it was told ({@link #toldPaid}, {@link #told}). The shop never reports an order paid by itself,
 * so "paid once" rests on the module and its store alone. Thread-safe.
 */
public abstract class DeliveryTarget {

    private final Set<String> shopOrders = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> news = new ConcurrentHashMap<>();
    private volatile CallbackRouter router;

    /** Mounts the module's endpoints on a router with the test's clock: call it once the module is built. */
    protected final void mount(List<CallbackEndpoint> endpoints, Clock clock) {
        router = CallbackRouter.builder().endpoints(endpoints).clock(clock).build();
    }

    /**
     * The router with the module's endpoints mounted.
     *
     * @throws IllegalStateException before {@link #mount}
     */
    public final CallbackRouter router() {
        if (router == null) {
            throw new IllegalStateException("mount(...) the module's endpoints first");
        }
        return router;
    }

    /** The callback the provider sends when {@code orderId} is paid, in the shape its documentation shows. */
    public abstract CallbackRequest paidCallback(String orderId);

    /** From now on the provider's API reports {@code orderId} paid (completed, confirmed). */
    public abstract void providerHasPaid(String orderId);

    /** From now on the provider's API reports {@code orderId} cancelled (denied, expired). */
    public abstract void providerHasCancelled(String orderId);

    /** The provider's API answers its next call with {@code status} (a 5xx: it may pass). */
    public abstract void providerFailsNext(int status);

    /** The shopper's browser back on the shop's return page for {@code orderId}. */
    public abstract Settlement confirm(String orderId);

    /** The shop has an unpaid order for {@code orderId}. */
    public final void shopHasOrder(String orderId) {
        shopOrders.add(orderId);
    }

    /** Whether the shop has an order for {@code orderId}: what the module's shop lookup answers. */
    protected final boolean shopHas(String orderId) {
        return shopOrders.contains(orderId);
    }

    /** The module told the shop {@code orderId} is paid. */
    protected final void toldPaid(String orderId) {
        told(orderId, "paid");
    }

    /** The module told the shop {@code what} about {@code orderId}. */
    protected final void told(String orderId, String what) {
        news.computeIfAbsent(orderId, id -> new CopyOnWriteArrayList<>()).add(what);
    }

    /** How many times the shop was told {@code orderId} is paid. */
    public final int timesPaid(String orderId) {
        return (int) news.getOrDefault(orderId, List.of()).stream().filter("paid"::equals).count();
    }

    /** Everything else the shop was told about {@code orderId}, in order (a cancellation, a hold). */
    public final List<String> otherNews(String orderId) {
        return news.getOrDefault(orderId, List.of()).stream().filter(what -> !"paid".equals(what)).toList();
    }
}
