package org.callbackkit.klarna;

import org.callbackkit.core.ProviderApiException;

/**
 * The Klarna (or Kustom) API calls the callbacks need. {@link KlarnaHttpApi} makes them over
 * HTTP; {@code testing.FakeKlarnaOrderManagement} scripts them in tests. Every method throws
 * {@link ProviderApiException} when the call does not succeed.
 */
public interface KlarnaApi {

    /**
     * The order as Order Management knows it: {@code GET /ordermanagement/v1/orders/{id}}. The
     * source of truth for fraud status, amount and lines.
     *
     * @throws ProviderApiException if the call fails or the answer is not an order
     */
    KlarnaOrder getOrder(String orderId);

    /**
     * Tells Klarna the shop has the order, which stops the pushes:
     * {@code POST /ordermanagement/v1/orders/{id}/acknowledge}.
     *
     * @throws ProviderApiException if the call fails
     */
    void acknowledge(String orderId);

    /**
     * Sets the shop's references on the order:
     * {@code PATCH /ordermanagement/v1/orders/{id}/merchant-references}.
     *
     * @param merchantReference1 the shop's order number
     * @param merchantReference2 a second reference, or null to leave it unchanged
     * @throws ProviderApiException if the call fails
     */
    void setMerchantReferences(String orderId, String merchantReference1, String merchantReference2);

    /**
     * The order as the Checkout API knows it, during and shortly after checkout:
     * {@code GET /checkout/v3/orders/{id}}.
     *
     * @throws ProviderApiException if the call fails or the answer is not an order
     */
    KlarnaOrder getCheckoutOrder(String orderId);
}
