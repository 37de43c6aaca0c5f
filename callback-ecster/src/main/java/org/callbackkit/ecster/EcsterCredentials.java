package org.callbackkit.ecster;

/**
 * The keys Ecster's API is called with: sent as the {@code x-api-key} and {@code x-merchant-key}
 * headers, never logged, journaled or shown by {@link #toString()}.
 *
 * @param apiKey the API key made in the Ecster Dashboard
 * @param merchantKey the merchant key the Dashboard shows for the shop
 */
public record EcsterCredentials(String apiKey, String merchantKey) {

    /** @throws IllegalArgumentException if a key is blank */
    public EcsterCredentials {
        if (apiKey == null || apiKey.isBlank() || merchantKey == null || merchantKey.isBlank()) {
            throw new IllegalArgumentException("the Ecster api key and merchant key must not be blank");
        }
    }

    /** Masked: the keys are secrets. */
    @Override
    public String toString() {
        return "EcsterCredentials[***]";
    }
}
