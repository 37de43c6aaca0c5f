package org.callbackkit.core.intake;

/** What became of one callback, as the journal records it. */
public enum CallbackOutcome {
    /** Taken: answered now, or its work scheduled. */
    ACCEPTED,
    /** Already seen: answered without calling the host again. */
    DUPLICATE,
    /** Not authentic: wrong or missing secret or credential. */
    REJECTED_AUTH,
    /** Malformed, oversized, wrong method or content type, or otherwise unacceptable input. */
    REJECTED_INPUT,
    /** The shop failed to handle it (a 5xx); the provider may retry. */
    FAILED,
    /** No endpoint at that path. */
    NOT_FOUND,
    /**
     * Authentic and well formed, but about nothing the shop has, and expected to happen: a
     * Blockonomics payment to a wallet address no order uses (merchants also take personal payments
     * to it). Answered 200 by default, so it is not a failure; 404 when the shop asks for a retry
     * (Blockonomics' {@code refusePaymentsWithoutOrder}). Never the listener's business; never set
     * from a status code.
     */
    NO_ORDER;

    /**
     * The outcome a status code implies when the handler does not say: 2xx and 3xx accepted,
     * 401/403 rejected as unauthenticated, 404 not found, other 4xx rejected input, else failed.
     */
    public static CallbackOutcome fromStatus(int status) {
        if (status >= 200 && status < 400) {
            return ACCEPTED;
        }
        if (status == 401 || status == 403) {
            return REJECTED_AUTH;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status >= 400 && status < 500) {
            return REJECTED_INPUT;
        }
        return FAILED;
    }
}
