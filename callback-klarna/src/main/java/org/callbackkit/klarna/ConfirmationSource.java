package org.callbackkit.klarna;

/** Which path confirmed an order. */
public enum ConfirmationSource {
    /** The shopper's browser reached the confirmation page, which called {@link KlarnaCallbacks#confirmOrder(String)}. */
    BROWSER,
    /** Klarna's push callback: the browser confirmation did not happen (or not yet). */
    PUSH
}
