package org.callbackkit.ecster;

/**
 * The part of Ecster's API this module calls. The module builds an HTTP client from
 * {@link EcsterCallbacks.Builder#credentials(EcsterCredentials)}; tests pass the in-process
 * {@code FakeEcsterApi} instead. Implementations are thread-safe.
 */
@FunctionalInterface
public interface EcsterApi {

    /**
     * The order as Ecster has it now: {@code GET {base}/v1/orders/{ecsterOrderId}}.
     *
     * @throws ProviderApiException when the call fails or the answer is not a usable order
     * @throws IllegalArgumentException if the id is not safe in a URL path segment
     */
    EcsterOrder getOrder(String ecsterOrderId);
}
