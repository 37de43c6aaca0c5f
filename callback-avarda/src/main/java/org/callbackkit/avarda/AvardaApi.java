package org.callbackkit.avarda;

/**
 * The part of Avarda's Checkout 3 API this module calls. The module builds an HTTP client from
 * {@link AvardaCallbacks.Builder#credentials credentials}; tests pass the in-process
 * {@code FakeAvardaApi} instead. Implementations are thread-safe.
 */
@FunctionalInterface
public interface AvardaApi {

    /**
     * The purchase as Avarda has it now: {@code GET {base}/api/partner/payments/{purchaseId}} with
     * a partner access token.
     *
     * @throws org.callbackkit.core.ProviderApiException when the call fails or the answer is not a usable payment
     * @throws IllegalArgumentException if the id is not safe in a URL path segment
     */
    AvardaPayment getPayment(String purchaseId);
}
