package org.callbackkit.klarna;

import java.util.List;
import java.util.Optional;
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
