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
    /**
     * Not a status of Ecster's: the order is paid at Ecster ({@code READY} or {@code FULLY_DELIVERED})
     * but its amount or currency is not the shop order's. Told once with the difference
     * ({@link EcsterStateChange#reason()}); never reported paid: a person decides.
     */
    ON_HOLD,
    /** {@code DENIED}, {@code ABORTED}, {@code ANNULED}, {@code EXPIRED}, {@code STOPPED}: never a downgrade of a paid order. */
    CANCELLED,
    /** {@code FAILED}. */
    FAILED,
    /** {@code PARTIALLY_DELIVERED}: a note for the order only, told also when the order is paid already. */
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
