package org.callbackkit.avarda;

/**
 * The client credentials Avarda issues for Checkout 3: exchanged at {@code POST /api/partner/tokens}
 * for a partner access token, never logged, journaled or shown by {@link #toString()}.
 *
 * @param clientId the client id
 * @param clientSecret the client secret
 */
public record AvardaCredentials(String clientId, String clientSecret) {

    /** @throws IllegalArgumentException if a value is blank */
    public AvardaCredentials {
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("the Avarda client id and secret must not be blank");
        }
    }

    /** Masked: the secret must not leak. */
    @Override
    public String toString() {
        return "AvardaCredentials[***]";
    }
}
