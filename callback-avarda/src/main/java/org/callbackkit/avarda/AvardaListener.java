package org.callbackkit.avarda;

/**
 * The host's side: told that a completed purchase is paid, or must be held. Called under the
 * purchase's lock, on the delayed action's thread or the thread of
 * {@link AvardaCallbacks#confirmPurchase(String)}. If it throws, nothing is recorded: the action
 * is retried later (or {@code confirmPurchase} throws) and the change is reported again, so make it
 * idempotent; {@link AvardaShopOrder#paid()} is what guards against paying twice across nodes.
 */
@FunctionalInterface
public interface AvardaListener {

    /** One change of one order, each kind at most once per purchase. */
    void onStateChange(AvardaStateChange change);
}
