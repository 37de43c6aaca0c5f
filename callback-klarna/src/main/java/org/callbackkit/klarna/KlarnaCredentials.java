package org.callbackkit.klarna;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The merchant's API credentials: the username (merchant id, e.g. {@code PK12345_abcdef}) and the
 * shared secret, sent as HTTP Basic auth. {@link #toString()} never shows the secret.
 *
 * @param merchantId the API username
 * @param sharedSecret the API password
 */
public record KlarnaCredentials(String merchantId, String sharedSecret) {

    /** @throws IllegalArgumentException if either is blank, or the merchant id contains a colon */
    public KlarnaCredentials {
        if (merchantId == null || merchantId.isBlank() || merchantId.contains(":")) {
            throw new IllegalArgumentException("merchant id must be non-blank and without ':'");
        }
        if (sharedSecret == null || sharedSecret.isBlank()) {
            throw new IllegalArgumentException("shared secret must not be blank");
        }
    }

    /** The {@code Authorization} header value. */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (merchantId + ":" + sharedSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** The merchant id and a masked secret. */
    @Override
    public String toString() {
        return "KlarnaCredentials[merchantId=" + merchantId + ", sharedSecret=***]";
    }
}
