package org.callbackkit.core.reconcile;

import java.util.Objects;

/**
 * What settling one order did, for the shopper's return page to show and the operator to read.
 *
 * @param key the provider's order key
 * @param outcome what happened
 * @param providerStatus the order's status as the provider reported it just now (Klarna's fraud
 *     status, Ecster's status, Avarda's step), for a return page to show; empty when the provider
 *     was not asked
 * @param detail a plain sentence for an operator
 */
public record Settlement(String key, Outcome outcome, String providerStatus, String detail) {

    /** @throws NullPointerException if a component is null */
    public Settlement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(providerStatus, "providerStatus");
        Objects.requireNonNull(detail, "detail");
    }

    /** The same settlement with {@code more} appended to its detail. */
    Settlement withMoreDetail(String more) {
        return new Settlement(key, outcome, providerStatus, detail + more);
    }

    /** What happened. */
    public enum Outcome {
        /** Settled just now: the host was told, and it is recorded. */
        SETTLED,
        /**
         * Settled before (by this node, another, or the shop itself, which had the order so): the host
         * was not told of the settlement again, the provider maybe not asked. A flow that
         * {@linkplain OrderFlow#followsSettledOrders follows settled orders} may have told the host a
         * later fact; the detail says so.
         */
        ALREADY_SETTLED,
        /** The host was told a fact just now; the order is not settled. */
        TOLD,
        /** Not decidable yet (the shop order is missing, the provider still deciding): tried again later. */
        WAITING,
        /** It will never settle; the reason is in the detail. */
        GAVE_UP,
        /** Nothing to tell: already told, or nothing to act on. */
        NOTHING
    }

    /** Whether the order is settled after this call. */
    public boolean settled() {
        return outcome == Outcome.SETTLED || outcome == Outcome.ALREADY_SETTLED;
    }
}
