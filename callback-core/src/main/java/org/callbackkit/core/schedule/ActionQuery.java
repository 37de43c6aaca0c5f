package org.callbackkit.core.schedule;

import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.OrderActivity;

/**
 * Which actions {@link DelayedActionScheduler#pending(ActionQuery)} and
 * {@link DelayedActionScheduler#dead(ActionQuery)} list: at most {@code limit}, and with an order
 * reference only those about that order ({@link OrderActivity#orderReferenceOf(String)} of their
 * key is it: the key itself, or up to its first {@code /}, as in Klarna's {@code order/event}). A durable scheduler answers from an index, so an
 * operator's view of one order stays fast however many actions wait.
 *
 * @param orderReference the order the actions are about, or null for any
 * @param limit the most actions listed
 */
public record ActionQuery(String orderReference, int limit) {

    /** @throws IllegalArgumentException if {@code limit} is not positive or the reference is blank */
    public ActionQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        if (orderReference != null && orderReference.isBlank()) {
            throw new IllegalArgumentException("orderReference must not be blank");
        }
    }

    /** The first {@code limit} actions, of any order. */
    public static ActionQuery first(int limit) {
        return new ActionQuery(null, limit);
    }

    /** At most {@code limit} actions about order {@code orderReference}. */
    public static ActionQuery aboutOrder(String orderReference, int limit) {
        return new ActionQuery(Objects.requireNonNull(orderReference, "orderReference"), limit);
    }

    /** The order asked about, if any. */
    public Optional<String> order() {
        return Optional.ofNullable(orderReference);
    }

    /** Whether the action of {@code key} is one this query lists (its limit aside). */
    public boolean matches(String key) {
        return orderReference == null || OrderActivity.orderReferenceOf(key).equals(orderReference);
    }
}
