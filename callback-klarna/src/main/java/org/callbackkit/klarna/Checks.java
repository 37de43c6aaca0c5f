package org.callbackkit.klarna;

import java.util.List;
import java.util.Optional;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackRequest;

/** Checks on untrusted text shared by the callbacks and the API client. */
final class Checks {

    /** The longest order id taken: Klarna's are UUIDs (36). */
    private static final int MAX_ORDER_ID_CHARS = 64;

    private Checks() {
    }

    /**
     * Whether {@code orderId} could be a Klarna order id: 1 to 64 ASCII letters, digits, {@code -}
     * and {@code _}, starting with a letter or digit. Klarna's are UUIDs; anything far from that
     * never reaches a URL or the API. (A loop, not a regex: it runs on every callback.)
     */
    static boolean isOrderId(String orderId) {
        if (orderId == null || orderId.isEmpty() || orderId.length() > MAX_ORDER_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < orderId.length(); i++) {
            char c = orderId.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '-' && c != '_'))) {
                return false;
            }
        }
        return true;
    }

    /** @throws IllegalArgumentException unless a plausible Klarna order id */
    static String requireOrderId(String orderId) {
        if (!isOrderId(orderId)) {
            throw new IllegalArgumentException("not a Klarna order id: " + UntrustedText.printable(String.valueOf(orderId)));
        }
        return orderId;
    }

    /** The query parameters Klarna's and Kustom's docs put the order id in. */
    static final List<String> ORDER_ID_PARAMETERS = List.of("klarna_order_id", "kustom_order_id");

    /**
     * The order id of the callback's URL: its last path segment, or the {@code klarna_order_id}
     * (Kustom: {@code kustom_order_id}) query parameter of the shape Klarna's docs show.
     *
     * @throws InvalidCallbackException unless exactly one plausible Klarna order id is given
     */
    static String orderIdOf(CallbackRequest request) {
        return orderIdInUrl(request).orElseThrow(() -> new InvalidCallbackException(
                "the URL names no Klarna order: expected /{orderId} or ?klarna_order_id="));
    }

    /**
     * The order id the callback's URL names, as {@link #orderIdOf} reads it, or empty when it names none.
     *
     * @throws InvalidCallbackException if it names one that is not a plausible Klarna order id, or several
     */
    static Optional<String> orderIdInUrl(CallbackRequest request) {
        Optional<String> inPath = request.pathParameter("orderId");
        if (inPath.isPresent()) {
            return Optional.of(requireInUrl(inPath.get()));
        }
        for (String name : ORDER_ID_PARAMETERS) {
            List<String> values = request.query().getOrDefault(name, List.of());
            if (values.size() > 1) {
                throw new InvalidCallbackException(name + " is given more than once");
            }
            if (values.size() == 1) {
                return Optional.of(requireInUrl(values.get(0)));
            }
        }
        return Optional.empty();
    }

    private static String requireInUrl(String orderId) {
        if (!isOrderId(orderId)) {
            throw new InvalidCallbackException("the URL has no Klarna order id");
        }
        return orderId;
    }
}
