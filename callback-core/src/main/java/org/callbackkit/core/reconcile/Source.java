package org.callbackkit.core.reconcile;

/** Who asked for an order to be settled. */
public enum Source {
    /** The shop, from the shopper's return or confirmation page. */
    BROWSER,
    /** The provider's callback, through its delayed action: the shopper did not come back (in time). */
    CALLBACK
}
