package org.callbackkit.ecster;

import java.util.Set;

/**
 * What an Ecster order status means for the shop's order. Ecster publishes no complete list of
 * statuses, so a status this module does not know is {@link #UNKNOWN}: kept as data
 * ({@link EcsterOrder#status()}), reported, never acted on as payment.
 */
public enum EcsterOrderState {
    /** {@code READY} (approved, to be delivered) or {@code FULLY_DELIVERED} (charged at once, e.g. card, Swish). */
    PAID,
    /** {@code DENIED}, {@code ABORTED}, {@code ANNULED}, {@code EXPIRED}, {@code STOPPED}: never a downgrade of a paid order. */
    CANCELLED,
    /** {@code FAILED}. */
    FAILED,
    /** {@code PARTIALLY_DELIVERED}: a note for the order only. */
    PARTIALLY_DELIVERED,
    /** The {@code PENDING_*} family ({@code PENDING_PAYMENT}, {@code PENDING_DECISION}, ...) and {@code AWAITING_CONTRACT}. */
    PENDING,
    /** Any other status, {@code BLOCKED} included: reported as it is, never paid. */
    UNKNOWN;

    private static final Set<String> PAID_STATUSES = Set.of("READY", "FULLY_DELIVERED");
    private static final Set<String> CANCELLED_STATUSES = Set.of("DENIED", "ABORTED", "ANNULED", "EXPIRED", "STOPPED");

    /** The state an Ecster status means; {@link #UNKNOWN} for null or anything not listed. */
    public static EcsterOrderState of(String status) {
        if (status == null) {
            return UNKNOWN;
        }
        if (PAID_STATUSES.contains(status)) {
            return PAID;
        }
        if (CANCELLED_STATUSES.contains(status)) {
            return CANCELLED;
        }
        if (status.equals("FAILED")) {
            return FAILED;
        }
        if (status.equals("PARTIALLY_DELIVERED")) {
            return PARTIALLY_DELIVERED;
        }
        if (status.startsWith("PENDING_") || status.equals("AWAITING_CONTRACT")) {
            return PENDING;
        }
        return UNKNOWN;
    }
}
