package org.callbackkit.core.reconcile;

import java.util.Optional;
import org.callbackkit.core.ProviderApiException;

/**
 * What a provider module tells the {@link Reconciler} about one kind of order it settles later:
 * how to read the provider's order, how to find the shop's, the pure decision between them, and
 * how to tell the host. The engine owns the loop around it: dedup, delay, the per-order state,
 * holding the order's key while deciding, retries and dead actions.
 *
 * <p>Everything but {@link #decide} is called while the order's key is held in the
 * {@link org.callbackkit.core.state.StateStore} (a row lock on PostgreSQL), on the delayed action's
 * thread or on the thread of {@link Reconciler#settle}: never twice at once for one order, on any
 * node that shares the store.
 *
 * @param <R> the provider's order as its API reports it (the remote order)
 * @param <S> the shop's order as the host hands it over
 * @param <E> what the host's listener is told
 */
public interface OrderFlow<R, S, E> {

    /**
     * The flow's name: the type of its delayed action and the scope of its per-order state, e.g.
     * {@code ecster.notification}. Unique among the flows sharing a scheduler and a store.
     */
    String name();

    /**
     * The shop's order for {@code key}, if the shop has one (yet).
     *
     * @param hint what the callback said beyond the key (Ecster's temporary reference), if anything
     * @throws RuntimeException whatever the host's lookup throws: nothing is recorded, the action is
     *     retried with the scheduler's backoff (the browser's call throws it)
     */
    Optional<S> findShopOrder(String key, Optional<String> hint);

    /**
     * Whether the shop already has {@code shopOrder} as settled (paid by any path): then the order
     * is recorded as settled without asking the provider or telling the host. Default: never.
     */
    default boolean settledInShop(S shopOrder) {
        return false;
    }

    /**
     * The provider's order, read from its API now: never the callback's word.
     *
     * @throws ProviderApiException if it cannot be read; retried when {@link ProviderApiException#retryable()}
     */
    R fetch(String key);

    /**
     * Backup order creation: a shop order made from the provider's when the shop has none.
     * Default: none, so the decision sees no shop order.
     */
    default Optional<S> createShopOrder(R remote) {
        return Optional.empty();
    }

    /**
     * Whether a callback for an order already settled still reads the provider's order and asks
     * {@link #decide}, so that the host hears what the provider says afterwards (Ecster's partial
     * delivery of a paid order). Then {@link #decide} is asked about settled orders too
     * ({@link OrderState#settled()} is true), for callbacks only, never for the browser; of its
     * answer only a {@link Decision#tellOnce} is carried out (once per fact, as always), anything
     * else is taken as "nothing to do": a settled order is never settled again, downgraded or given up.
     * Default: false, and a callback for a settled order is answered from the stored state alone,
     * without a call to the provider.
     */
    default boolean followsSettledOrders() {
        return false;
    }

    /**
     * The decision, from the provider's order, the shop's (if any) and what was done before. Pure:
     * no calls, no clock, the same answer for the same arguments, so it is tested as a table.
     * It is asked about a settled order only when {@link #followsSettledOrders()} says so.
     */
    Decision<E> decide(R remote, Optional<S> shopOrder, OrderState state);

    /**
     * Tells the host {@code event}; called once per fact recorded, while the key is held. If it
     * throws, nothing is recorded and the host is told again on the next attempt. The host may also
     * hear a fact twice when it returned and the store then could not record it (see
     * {@link Reconciler}).
     *
     * @throws RuntimeException whatever the host's listener throws: nothing is recorded
     */
    void tell(E event, R remote, S shopOrder, Source source);

    /**
     * Called once a decision about {@code key} is recorded, outside the order's key, for notes that
     * must not hold it (a journal entry that needs a connection of its own). Default: nothing. What
     * it throws is logged; the decision stands.
     */
    default void settled(String key, Settlement settlement, Source source) {
    }

    /**
     * A follow-up call to the provider that a settlement asked for ({@link Decision#withFollowUp}),
     * made after the settlement is committed, while the key is held. Must be safe to repeat: when
     * the store cannot record that it was made, it is made again. Default: none are asked for.
     *
     * @throws ProviderApiException if the call failed; retried when {@link ProviderApiException#retryable()}
     */
    default void followUp(String key, String name, String argument) {
        throw new UnsupportedOperationException(name() + " asks for no follow-up calls: " + name);
    }
}
