package org.callbackkit.klarna;

import java.util.regex.Pattern;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackRequest;

/** Checks on untrusted text shared by the callbacks and the API client. */
final class Checks {

    /** Klarna order ids are UUIDs; anything far from that never reaches a URL or the API. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Checks() {
    }

    static boolean isOrderId(String orderId) {
        return orderId != null && ORDER_ID.matcher(orderId).matches();
    }

    /** @throws IllegalArgumentException unless a plausible Klarna order id */
    static String requireOrderId(String orderId) {
        if (!isOrderId(orderId)) {
            throw new IllegalArgumentException("not a Klarna order id: " + UntrustedText.printable(String.valueOf(orderId)));
        }
        return orderId;
    }

    /**
     * The order id of the callback's URL.
     *
     * @throws InvalidCallbackException unless a plausible Klarna order id
     */
    static String orderIdOf(CallbackRequest request) {
        String orderId = request.pathParameter("orderId").orElse("");
        if (!isOrderId(orderId)) {
            throw new InvalidCallbackException("the URL has no Klarna order id");
        }
        return orderId;
    }
}
