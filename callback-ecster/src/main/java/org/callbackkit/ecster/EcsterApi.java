package org.callbackkit.ecster;

/**
 * The part of Ecster's API this module calls: read an order, set the shop's reference on it. The module builds an HTTP client from
 * {@link EcsterCallbacks.Builder#credentials credentials}; tests pass the in-process
 * {@code FakeEcsterApi} instead. Implementations are thread-safe.
 */
public interface EcsterApi {

    /**
     * The order as Ecster has it now: {@code GET {base}/v1/orders/{ecsterOrderId}}.
     *
     * @throws org.callbackkit.core.ProviderApiException when the call fails or the answer is not a usable order
     * @throws IllegalArgumentException if the id is not safe in a URL path segment
     */
    EcsterOrder getOrder(String ecsterOrderId);

    /**
     * Sets the shop's order reference on Ecster's order, as Ecster's WooCommerce plugin does once
     * the shop order exists: {@code PUT {base}/v1/orders/{ecsterOrderId}/orderReference} with
     * {@code {"orderReference": "..."}}. The module calls it once an order is paid, unless Ecster
     * has the reference already; safe to repeat.
     *
     * @throws org.callbackkit.core.ProviderApiException when the call fails
     * @throws IllegalArgumentException if the id is not safe in a URL path segment, or the reference is blank
     */
    void updateOrderReference(String ecsterOrderId, String orderReference);
}
