package org.callbackkit.klarna;

/**
 * The shop's last word before Klarna completes a purchase: stock, delivery area, coupon, cart
 * tampering. Must answer within the module's validation deadline (2.5 s by default, Klarna waits
 * about 3 s); otherwise, or if it throws, the configured fallback answer is sent.
 */
@FunctionalInterface
public interface KlarnaValidator {

    /**
     * @param order the order Klarna is about to complete, as the callback carried it
     * @return {@link KlarnaCheckoutAnswer#approve()}, a redirect, or a rejection
     */
    KlarnaCheckoutAnswer validate(KlarnaOrder order);
}
