package org.callbackkit.ecster;

/**
 * The host's side: told how an Ecster order changed, to update its own order (mark it paid,
 * cancel it, fail it, add a note). Called under the Ecster order's lock, on the delayed action's
 * thread or the thread of {@link EcsterCallbacks#confirmOrder(String)}.
 *
 * <p>If it throws, the change counts as not applied: the action is retried later (or
 * {@code confirmOrder} throws) and the change is reported again. So make it idempotent: across
 * shop nodes or after a restart with an in-memory idempotency store it may, rarely, see a change
 * twice; {@link EcsterShopOrder#paid()} is what guards against paying twice there.
 */
@FunctionalInterface
public interface EcsterListener {

    /** One change of one order; each status at most once per order, paid at most once. */
    void onStateChange(EcsterStateChange change);
}
